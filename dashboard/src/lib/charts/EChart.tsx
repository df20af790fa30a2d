import { useEffect, useRef } from 'react';
import { type ChartOption, echarts } from './echarts';

interface Props {
  option: ChartOption;
  /** The chart's accessible name; the figures it shows must also be readable elsewhere on the page (a table or text). */
  label: string;
  className?: string;
  /** CSS height; the width follows the container. */
  height?: number | string;
  theme?: 'light' | 'dark';
}

/**
 * An echarts chart that follows its `option`: created once, updated in place
 * (`setOption` merges, so a live change animates instead of redrawing from
 * scratch), resized with its container, disposed on unmount.
 */
export function EChart({ option, label, className, height = 240, theme = 'light' }: Props) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = element.current;
    if (!el) return;
    const instance = echarts.init(el, theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [theme]);

  useEffect(() => {
    // Series may come and go (a period with fewer lines): replace the series list, merge the rest.
    chart.current?.setOption({ aria: { enabled: true }, ...option }, { replaceMerge: ['series'] });
  }, [option, theme]);

  return <div ref={element} className={className ?? 'chart'} style={{ height }} role="img" aria-label={label} />;
}
