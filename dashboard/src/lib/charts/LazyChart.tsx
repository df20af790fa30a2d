import { type ComponentProps, Suspense, lazy, useEffect, useRef, useState } from 'react';

// The chart library is its own chunk, downloaded only once a chart comes near the screen.
const EChart = lazy(() => import('./EChart').then((m) => ({ default: m.EChart })));

/**
 * Whether an element is on (or near) the screen yet; true from then on, and before printing.
 * `hold`: not yet, while what lies above the element is still loading and its place on the page is not known.
 */
export function useNearScreen<T extends Element>(margin = '200px', hold = false): [React.RefObject<T | null>, boolean] {
  const ref = useRef<T>(null);
  const [near, setNear] = useState(false);
  useEffect(() => {
    if (near) return;
    const el = ref.current;
    const show = () => setNear(true);
    // A printout shows every chart, wherever it is on the page.
    window.addEventListener('beforeprint', show);
    if (hold) return () => window.removeEventListener('beforeprint', show);
    if (!el || typeof IntersectionObserver === 'undefined') {
      show();
      return () => window.removeEventListener('beforeprint', show);
    }
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && show(), { rootMargin: margin });
    observer.observe(el);
    return () => {
      observer.disconnect();
      window.removeEventListener('beforeprint', show);
    };
  }, [near, margin, hold]);
  return [ref, near];
}

/**
 * An echarts chart whose code loads only when the chart comes near the screen; a placeholder of its height until then.
 * `hold`: the content above the chart is still loading, so the chart only seems near the screen until it comes.
 */
export function LazyChart({ hold = false, ...props }: ComponentProps<typeof EChart> & { hold?: boolean }) {
  const [ref, near] = useNearScreen<HTMLDivElement>('200px', hold);
  const height = props.height ?? 240;
  const placeholder = <div ref={ref} className="skeleton skeleton--chart" style={{ height }} aria-hidden="true" />;
  if (!near) return placeholder;
  return (
    <Suspense fallback={<div className="skeleton skeleton--chart" style={{ height }} aria-hidden="true" />}>
      <EChart {...props} />
    </Suspense>
  );
}
