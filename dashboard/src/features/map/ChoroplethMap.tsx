import 'maplibre-gl/dist/maplibre-gl.css';
import './map.css';
import { type GeoJSONSource, type GeoJSONSourceSpecification, Map as MapLibreMap, type MapLayerMouseEvent, type MapOptions, NavigationControl, prewarm, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { type KeyboardEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SILENT_AFTER_MINUTES } from '@ioc/shared';
import { describeError } from '../../lib/http';
import { type BoundaryCollection, boundariesPath, fetchBoundaries } from './boundaries';
import {
  type Bounds,
  type MapDatum,
  type MapLayer,
  NO_DATA_HATCH,
  SILENT_COLOR,
  type UnitState,
  datumColor,
  diffFeatureStates,
  fillColorExpression,
  noDataOpacityExpression,
  silentOpacityExpression,
  unitStates,
  unitsOf,
} from './choropleth';
import { formatDatum, formatLinkDetails } from './format';
import { type Framing, frameOf, insetPath } from './framing';
import { MapTooltip } from './MapTooltip';

export type { MapDatum } from './choropleth';
export { ChoroplethMap };

// Vite does not emit maplibre's worker on its own: point maplibre at the copy it serves.
setWorkerUrl(workerUrl);
// Start the worker as the code arrives, while the boundaries are still on their way.
prewarm();

export interface ChoroplethMapProps {
  /** The 34 provinces, or the communes of `provinceCode`. */
  level: 'province' | 'commune';
  provinceCode?: string;
  /** What colours the map: a KPI percent, the index score (/100), or the communes' link state. */
  metric: MapLayer;
  /** By unit code; may change every second (live). */
  data: Readonly<Record<string, MapDatum>>;
  /** The highlighted unit. */
  selected?: string | null;
  /** A unit was clicked, or chosen from the keyboard list: drill down. */
  onSelect?: (code: string) => void;
  /** Outline the units that have gone silent. */
  showFreshness?: boolean;
  silentAfterMinutes?: number;
  /** Dark for the operations wall. */
  theme?: 'light' | 'dark';
  /** A basemap style URL; null: the built-in offline style (background and boundaries only). */
  styleUrl?: string | null;
  /** Accessible name of the map. */
  label: string;
}

type Phase = 'loading' | 'ready' | 'error';
type Failure = { kind: 'webgl' } | { kind: 'boundaries'; reason: string };
interface Loaded {
  path: string;
  fc: BoundaryCollection;
  units: Map<string, { name: string; bounds: Bounds | null }>;
  codes: Set<string>;
  /** Where the map is framed, and the islands left out of the frame (shown in insets). */
  framing: Framing | null;
}
interface TooltipAt {
  code: string;
  x: number;
  y: number;
  via: 'pointer' | 'keyboard';
}

const SOURCE = 'ioc-units';
const LAYER = {
  fill: 'ioc-units-fill',
  noData: 'ioc-units-nodata',
  line: 'ioc-units-line',
  silent: 'ioc-units-silent',
  highlight: 'ioc-units-highlight',
} as const;
const HATCH = 'ioc-nodata-hatch';
const THEMES = {
  light: { background: '#e8edf2', line: '#ffffff', highlight: '#111827' },
  dark: { background: '#0b1220', line: '#0b1220', highlight: '#ffffff' },
} as const;
const SILENCE_RECHECK_MS = 30_000;
const INSET = { width: 64, height: 48 } as const;

/** Only a background: no tiles, glyphs, sprites or fonts from anywhere, so the map draws offline. */
function offlineStyle(theme: 'light' | 'dark'): NonNullable<MapOptions['style']> {
  return {
    version: 8,
    name: 'ioc-offline',
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': THEMES[theme].background } }],
  };
}

/** Diagonal hatch for units with no value, drawn over their grey so it never reads as a low value. */
function hatchImage(): { width: number; height: number; data: Uint8Array } {
  const size = 8;
  const data = new Uint8Array(size * size * 4);
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(NO_DATA_HATCH.slice(i, i + 2), 16)) as [number, number, number];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if ((x + y) % size > 1) continue;
      const o = (y * size + x) * 4;
      data.set([r, g, b, 200], o);
    }
  }
  return { width: size, height: size, data };
}

/** The expressions are built by the pure module, which does not know maplibre's types. */
type Expression = never;
type GeoJsonData = GeoJSONSourceSpecification['data'];

function addLayers(map: MapLibreMap, theme: 'light' | 'dark', level: 'province' | 'commune', showFreshness: boolean, basemap: boolean, metric: MapLayer): void {
  const colors = THEMES[theme];
  map.addLayer({
    id: LAYER.fill,
    type: 'fill',
    source: SOURCE,
    paint: { 'fill-color': fillColorExpression(metric) as Expression, 'fill-opacity': basemap ? 0.75 : 0.92 },
  });
  map.addLayer({
    id: LAYER.noData,
    type: 'fill',
    source: SOURCE,
    paint: { 'fill-pattern': HATCH, 'fill-opacity': noDataOpacityExpression() as Expression },
  });
  map.addLayer({
    id: LAYER.line,
    type: 'line',
    source: SOURCE,
    paint: { 'line-color': colors.line, 'line-width': level === 'province' ? 1 : 0.6, 'line-opacity': 0.9 },
  });
  map.addLayer({
    id: LAYER.silent,
    type: 'line',
    source: SOURCE,
    layout: { visibility: showFreshness ? 'visible' : 'none', 'line-join': 'round' },
    paint: {
      'line-color': SILENT_COLOR[theme],
      'line-width': level === 'province' ? 1.8 : 1.4,
      'line-dasharray': [2.5, 1.5],
      'line-opacity': silentOpacityExpression() as Expression,
    },
  });
  map.addLayer({
    id: LAYER.highlight,
    type: 'line',
    source: SOURCE,
    paint: {
      'line-color': colors.highlight,
      'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3.5, ['boolean', ['feature-state', 'hover'], false], 2.5, 0],
    },
  });
}

/**
 * A choropleth of the provinces or of one province's communes, drawn from the
 * server's boundaries with maplibre. The map is created once; live data only
 * patches feature states, and a new province swaps the boundaries' data.
 */
export default function ChoroplethMap({
  level,
  provinceCode,
  metric,
  data,
  selected = null,
  onSelect,
  showFreshness = false,
  silentAfterMinutes = SILENT_AFTER_MINUTES,
  theme = 'light',
  styleUrl = null,
  label,
}: ChoroplethMapProps) {
  const { t } = useTranslation('map');
  const rootRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [styleVersion, setStyleVersion] = useState(0);
  const [phase, setPhase] = useState<Phase>('loading');
  const [failure, setFailure] = useState<Failure | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [installed, setInstalled] = useState<string | null>(null);
  const [tooltip, setTooltip] = useState<TooltipAt | null>(null);
  const [pick, setPick] = useState('');
  const [now, setNow] = useState(() => Date.now());
  const [basemapFailed, setBasemapFailed] = useState(false);
  const tooltipId = useId();
  const pickId = useId();

  // What event handlers and the patcher read: the latest props, without re-subscribing.
  const latest = useRef({ data, metric, silentAfterMinutes, onSelect, theme, level, showFreshness, selected, loaded, phase });
  latest.current = { data, metric, silentAfterMinutes, onSelect, theme, level, showFreshness, selected, loaded, phase };
  const applied = useRef<Record<string, UnitState>>({});
  const patches = useRef(0);
  const firstPaint = useRef(false);
  const moved = useRef(false);
  const hovered = useRef<string | null>(null);
  const highlighted = useRef<string | null>(null);

  const setHover = useCallback((code: string | null) => {
    const map = mapRef.current;
    if (!map?.getSource(SOURCE) || hovered.current === code) return;
    if (hovered.current) map.setFeatureState({ source: SOURCE, id: hovered.current }, { hover: false });
    if (code) map.setFeatureState({ source: SOURCE, id: code }, { hover: true });
    hovered.current = code;
  }, []);

  /** Brings the feature states on screen to the latest data; counts the patch once it is painted. */
  const applyStates = useCallback((count: boolean) => {
    const map = mapRef.current;
    const { loaded: l, data: d, metric: m, silentAfterMinutes: minutes, phase: p } = latest.current;
    if (!map || !l || !map.getSource(SOURCE)) return;
    const next = unitStates(d, l.codes, m, Date.now(), minutes);
    const changes = diffFeatureStates(applied.current, next);
    if (changes.length === 0) return;
    for (const c of changes) map.setFeatureState({ source: SOURCE, id: c.code }, c.state);
    applied.current = next;
    if (!count || p !== 'ready') return;
    map.once('idle', () => {
      patches.current += 1;
      rootRef.current?.setAttribute('data-map-patches', String(patches.current));
      performance.mark('ioc:map-patch-applied');
    });
  }, []);

  /** A point inside a unit, in the canvas's pixels: the centre of its extent when it falls inside, else the first point found inside. */
  const pointOf = useCallback((code: string): { x: number; y: number } | null => {
    const map = mapRef.current;
    const bounds = latest.current.loaded?.units.get(code)?.bounds;
    if (!map || !bounds || !map.getLayer(LAYER.fill)) return null;
    const [[w, s], [e, n]] = bounds;
    const canvas = map.getCanvas();
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    const steps = 12;
    const candidates: [number, number][] = [];
    for (let i = 0; i <= steps; i++) for (let j = 0; j <= steps; j++) candidates.push([w + ((e - w) * i) / steps, s + ((n - s) * j) / steps]);
    const cx = (w + e) / 2;
    const cy = (s + n) / 2;
    candidates.sort((a, b) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(b[0] - cx, b[1] - cy));
    for (const c of candidates) {
      const p = map.project(c);
      if (p.x < 0 || p.y < 0 || p.x > width || p.y > height) continue;
      const hit = map.queryRenderedFeatures([p.x, p.y], { layers: [LAYER.fill] })[0];
      if (hit && String(hit.id) === code) return { x: p.x, y: p.y };
    }
    const p = map.project([cx, cy]);
    return { x: p.x, y: p.y };
  }, []);

  // The map itself: created once per basemap, removed on unmount.
  useEffect(() => {
    const root = rootRef.current;
    const container = canvasRef.current;
    if (!root || !container) return;
    if (!root.hasAttribute('data-map-patches')) root.setAttribute('data-map-patches', '0');
    let map: MapLibreMap;
    try {
      map = new MapLibreMap({
        container,
        style: styleUrl ?? offlineStyle(latest.current.theme),
        // Offline, the boundaries' source is credited under the map; a basemap brings its own credits too.
        attributionControl: styleUrl ? { compact: true, customAttribution: t('attribution') } : false,
        locale: {
          'NavigationControl.ZoomIn': t('controls.zoomIn'),
          'NavigationControl.ZoomOut': t('controls.zoomOut'),
          'AttributionControl.ToggleAttribution': t('controls.attribution'),
          'CooperativeGesturesHandler.WindowsHelpText': t('controls.gesturesDesktop'),
          'CooperativeGesturesHandler.MacHelpText': t('controls.gesturesDesktop'),
          'CooperativeGesturesHandler.MobileHelpText': t('controls.gesturesTouch'),
        },
        // On a touch screen one finger scrolls the page and two move the map; the page never gets stuck inside the map.
        cooperativeGestures: typeof window.matchMedia === 'function' && window.matchMedia('(pointer: coarse)').matches,
        center: [106, 16],
        zoom: 4,
        // The page scrolls with the wheel; the buttons and double-click zoom.
        scrollZoom: false,
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
        renderWorldCopies: false,
        fadeDuration: 0,
        // The drawing stays in the canvas, so a printout or a PDF shows the map.
        canvasContextAttributes: { preserveDrawingBuffer: true },
      });
    } catch {
      // maplibre throws when the browser has no WebGL2.
      setFailure({ kind: 'webgl' });
      setPhase('error');
      return;
    }
    performance.mark('ioc:map-created');
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    mapRef.current = map;
    let styleLoaded = false;

    map.on('style.load', () => {
      performance.mark('ioc:map-style-loaded');
      styleLoaded = true;
      if (!map.hasImage(HATCH)) map.addImage(HATCH, hatchImage());
      setStyleVersion((v) => v + 1);
    });
    map.on('error', () => {
      // A basemap that cannot load leaves no style at all: fall back to the offline one.
      if (styleLoaded || !styleUrl) return;
      styleLoaded = true;
      setBasemapFailed(true);
      map.setStyle(offlineStyle(latest.current.theme));
    });
    map.on('mousemove', LAYER.fill, (e: MapLayerMouseEvent) => {
      const id = e.features?.[0]?.id;
      if (id === undefined) return;
      const code = String(id);
      setHover(code);
      map.getCanvas().style.cursor = 'pointer';
      setTooltip({ code, x: e.point.x, y: e.point.y, via: 'pointer' });
    });
    map.on('mouseleave', LAYER.fill, () => {
      setHover(null);
      map.getCanvas().style.cursor = '';
      setTooltip((tt) => (tt?.via === 'pointer' ? null : tt));
    });
    // Until someone moves the map, it keeps its frame when its box changes size (a window resized, a printout).
    map.on('movestart', (e: { originalEvent?: unknown }) => {
      if (e.originalEvent) moved.current = true;
    });
    map.on('resize', () => {
      const frame = latest.current.loaded?.framing?.frame;
      if (frame && !moved.current) map.fitBounds(frame, { padding: 16, animate: false });
    });
    map.on('click', LAYER.fill, (e: MapLayerMouseEvent) => {
      const id = e.features?.[0]?.id;
      if (id !== undefined) latest.current.onSelect?.(String(id));
    });

    // The end-to-end tests and the benchmark find a point inside a unit through this.
    const hook = root as HTMLDivElement & { iocMapPointOf?: (code: string) => { x: number; y: number } | null };
    hook.iocMapPointOf = (code) => {
      const p = pointOf(code);
      if (!p) return null;
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    };

    return () => {
      delete hook.iocMapPointOf;
      map.remove();
      mapRef.current = null;
      applied.current = {};
      hovered.current = null;
      highlighted.current = null;
      setInstalled(null);
    };
    // The map is not re-created for any other prop; the effects below patch it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [styleUrl]);

  // The boundaries of the level (or of the province).
  useEffect(() => {
    const path = boundariesPath(level, provinceCode);
    const boundaries = fetchBoundaries(level, provinceCode);
    if (!path || !boundaries) return;
    let cancelled = false;
    setFailure((f) => (f?.kind === 'boundaries' ? null : f));
    setPhase((p) => (p === 'error' ? p : 'loading'));
    boundaries.then(
      (fc) => {
        if (cancelled) return;
        const units = unitsOf(fc);
        setLoaded({ path, fc, units, codes: new Set(units.keys()), framing: frameOf(fc.features) });
      },
      (e: unknown) => {
        if (cancelled) return;
        setFailure((f) => (f?.kind === 'webgl' ? f : { kind: 'boundaries', reason: describeError(e) }));
        setPhase('error');
      },
    );
    return () => {
      cancelled = true;
    };
  }, [level, provinceCode, attempt]);

  // Boundaries onto the map: the first time as a source and its layers, then by swapping the source's data.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || styleVersion === 0 || !loaded) return;
    if (loaded.path !== boundariesPath(latest.current.level, provinceCode)) return;
    const { theme: th, level: lv, showFreshness: fresh, metric: m } = latest.current;
    const source = map.getSource<GeoJSONSource>(SOURCE);
    if (source) {
      void source.setData(loaded.fc as unknown as GeoJsonData);
      map.removeFeatureState({ source: SOURCE });
      map.setPaintProperty(LAYER.line, 'line-width', lv === 'province' ? 1 : 0.6);
    } else {
      // The boundaries are already simplified for their level: no deep zoom levels, a thin tile buffer.
      const data = loaded.fc as unknown as GeoJsonData;
      map.addSource(SOURCE, { type: 'geojson', data, promoteId: 'code', maxzoom: 11, buffer: 32, tolerance: 0.5 });
      addLayers(map, th, lv, fresh, styleUrl !== null && !basemapFailed, m);
    }
    applied.current = {};
    hovered.current = null;
    highlighted.current = null;
    setTooltip(null);
    setPick('');
    performance.mark('ioc:map-boundaries-set');
    // Framed on the main body of land; far islands are in the insets, not stretching the frame.
    moved.current = false;
    if (loaded.framing) map.fitBounds(loaded.framing.frame, { padding: 16, animate: false });
    applyStates(false);
    const sel = latest.current.selected;
    if (sel && loaded.codes.has(sel)) {
      map.setFeatureState({ source: SOURCE, id: sel }, { selected: true });
      highlighted.current = sel;
    }
    setInstalled(`${loaded.path}#${styleVersion}`);
    setPhase('loading');
    map.once('idle', () => {
      if (mapRef.current !== map) return;
      setPhase('ready');
      if (!firstPaint.current) {
        firstPaint.current = true;
        performance.mark('ioc:map-first-paint');
      }
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [styleVersion, loaded]);

  // Live data: patch the feature states that changed.
  useEffect(() => {
    if (installed) applyStates(true);
  }, [installed, data, metric, silentAfterMinutes, now, applyStates]);

  // Silence comes with time alone: look again now and then.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), SILENCE_RECHECK_MS);
    return () => clearInterval(timer);
  }, []);

  // A KPI's classes and the link states are coloured from different palettes.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !installed) return;
    map.setPaintProperty(LAYER.fill, 'fill-color', fillColorExpression(metric) as Expression);
  }, [metric, installed]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !installed) return;
    map.setLayoutProperty(LAYER.silent, 'visibility', showFreshness ? 'visible' : 'none');
  }, [showFreshness, installed]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !installed) return;
    const colors = THEMES[theme];
    if (map.getLayer('background') && !styleUrl) map.setPaintProperty('background', 'background-color', colors.background);
    map.setPaintProperty(LAYER.line, 'line-color', colors.line);
    map.setPaintProperty(LAYER.highlight, 'line-color', colors.highlight);
    map.setPaintProperty(LAYER.silent, 'line-color', SILENT_COLOR[theme]);
  }, [theme, installed, styleUrl]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !installed) return;
    const next = selected && loaded?.codes.has(selected) ? selected : null;
    if (highlighted.current === next) return;
    if (highlighted.current) map.setFeatureState({ source: SOURCE, id: highlighted.current }, { selected: false });
    if (next) map.setFeatureState({ source: SOURCE, id: next }, { selected: true });
    highlighted.current = next;
  }, [selected, installed, loaded]);

  useEffect(() => {
    mapRef.current?.getCanvas().setAttribute('aria-label', label);
  }, [label, styleVersion]);

  // The keyboard alternative to pointing: every unit on the map, by name, with its value.
  const options = useMemo(() => {
    if (!loaded) return [];
    return [...loaded.units.entries()].map(([code, u]) => ({ code, name: data[code]?.name || u.name })).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  }, [loaded, data]);

  const preview = (code: string) => {
    if (!code) {
      setHover(null);
      setTooltip(null);
      return;
    }
    setHover(code);
    const p = pointOf(code);
    setTooltip(p ? { code, x: p.x, y: p.y, via: 'keyboard' } : null);
  };
  const open = () => {
    if (pick) onSelect?.(pick);
  };
  const onPickKey = (e: KeyboardEvent<HTMLSelectElement>) => {
    if (e.key === 'Enter' && pick) {
      e.preventDefault();
      open();
    }
  };

  const insets = useMemo(
    () =>
      (loaded?.framing?.outlying ?? []).map((o) => ({
        code: o.code,
        whole: o.whole,
        name: data[o.code]?.name || (loaded?.units.get(o.code)?.name ?? o.code),
        d: insetPath(o.polygons, o.bounds, INSET.width, INSET.height),
      })),
    [loaded, data],
  );

  const tooltipUnit = tooltip ? { code: tooltip.code, name: data[tooltip.code]?.name || (loaded?.units.get(tooltip.code)?.name ?? tooltip.code) } : null;

  return (
    <div ref={rootRef} className={`choropleth choropleth--${theme}`} data-map-state={phase} data-map-level={level} data-map-province={provinceCode ?? undefined}>
      <div className="choropleth__frame">
        <div ref={canvasRef} className="choropleth__canvas" />
        {tooltip && tooltipUnit && (
          <MapTooltip
            id={tooltipId}
            x={tooltip.x}
            y={tooltip.y}
            name={tooltipUnit.name}
            value={formatDatum(metric, data[tooltip.code])}
            details={metric === 'links' ? formatLinkDetails(data[tooltip.code]) : []}
            lastEventAt={data[tooltip.code]?.lastEventAt}
            silentAfterMinutes={silentAfterMinutes}
            showFreshness={showFreshness}
            now={now}
            hint={tooltip.via === 'pointer' && onSelect ? t('tooltip.openHint') : null}
            width={canvasRef.current?.clientWidth ?? null}
            flipY={tooltip.y > (canvasRef.current?.clientHeight ?? Infinity) - 120}
          />
        )}
        {insets.length > 0 && phase !== 'error' && (
          <ul className="choropleth__insets" aria-label={t('inset.heading')}>
            {insets.map((o) => {
              const value = formatDatum(metric, data[o.code]);
              const name = o.whole ? o.name : t('inset.islandsOf', { name: o.name });
              const body = (
                <>
                  <svg viewBox={`0 0 ${INSET.width} ${INSET.height}`} width={INSET.width} height={INSET.height} aria-hidden="true" focusable="false">
                    <path d={o.d} fill={datumColor(metric, data[o.code])} stroke={datumColor(metric, data[o.code])} strokeWidth={2} strokeLinejoin="round" />
                  </svg>
                  <span className="choropleth__inset-name">{name}</span>
                  <span className="choropleth__inset-value">{value}</span>
                </>
              );
              return (
                <li key={o.code}>
                  {onSelect ? (
                    <button
                      type="button"
                      className={`choropleth__inset${selected === o.code ? ' choropleth__inset--selected' : ''}`}
                      data-inset-code={o.code}
                      onClick={() => onSelect(o.code)}
                      onMouseEnter={() => setHover(o.code)}
                      onMouseLeave={() => setHover(null)}
                    >
                      {body}
                      <span className="visually-hidden">{t('pick.open')}</span>
                    </button>
                  ) : (
                    <div className="choropleth__inset" data-inset-code={o.code}>
                      {body}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        {phase === 'loading' && !failure && (
          <div className="choropleth__overlay choropleth__overlay--loading" role="status">
            <span className="choropleth__spinner" aria-hidden="true" />
            {t('state.loading')}
          </div>
        )}
        {failure?.kind === 'boundaries' && (
          <div className="choropleth__overlay choropleth__overlay--error" role="alert">
            <p>{t('state.boundariesFailed', { reason: failure.reason })}</p>
            <button type="button" className="button button--secondary" onClick={() => setAttempt((a) => a + 1)}>
              {t('state.retry')}
            </button>
          </div>
        )}
        {failure?.kind === 'webgl' && (
          <div className="choropleth__overlay choropleth__overlay--error" role="alert">
            <p>{t('state.noWebgl')}</p>
          </div>
        )}
      </div>
      {!styleUrl && <p className="choropleth__credit">{t('attribution')}</p>}
      {basemapFailed && <p className="choropleth__notice">{t('state.basemapFailed')}</p>}
      {options.length > 0 && onSelect && (
        <div className="choropleth__pick">
          <label htmlFor={pickId}>{t('pick.label')}</label>
          <select
            id={pickId}
            value={pick}
            aria-describedby={tooltip?.via === 'keyboard' ? tooltipId : undefined}
            onChange={(e) => {
              setPick(e.target.value);
              preview(e.target.value);
            }}
            onFocus={() => pick && preview(pick)}
            onBlur={() => {
              setTooltip((tt) => (tt?.via === 'keyboard' ? null : tt));
              setHover(null);
            }}
            onKeyDown={onPickKey}
          >
            <option value="">{t('pick.placeholder')}</option>
            {options.map((o) => (
              <option key={o.code} value={o.code}>
                {t('pick.option', { name: o.name, value: formatDatum(metric, data[o.code]) })}
              </option>
            ))}
          </select>
          <button type="button" className="button button--secondary" onClick={open} disabled={!pick || !onSelect}>
            {t('pick.open')}
          </button>
        </div>
      )}
    </div>
  );
}
