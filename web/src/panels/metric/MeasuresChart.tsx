import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Measure } from '../../api/metric';

/** The chart takes the page's theme: uPlot draws on a canvas, which CSS cannot colour. */
function themeColour(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#0b5cad';
}

/** The theme the shell set on the document; a switch redraws the chart in the new colours. */
function useDocumentTheme(): string | undefined {
  const [theme, setTheme] = useState(document.documentElement.dataset.theme);
  useEffect(() => {
    const watch = new MutationObserver(() => setTheme(document.documentElement.dataset.theme));
    watch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => watch.disconnect();
  }, []);
  return theme;
}

/** A line of the measures over time; uPlot's legend shows the value under the cursor. */
export function MeasuresChart({ measures, label, unit }: { measures: Measure[]; label: string; unit: string | null }) {
  const holder = useRef<HTMLDivElement>(null);
  const theme = useDocumentTheme();
  useEffect(() => {
    const element = holder.current;
    if (!element) return undefined;
    const data: uPlot.AlignedData = [measures.map(([time]) => Date.parse(time) / 1000), measures.map(([, , value]) => value)];
    const axis = { stroke: themeColour('--fg'), grid: { stroke: themeColour('--border') }, ticks: { stroke: themeColour('--border') } };
    const chart = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: 300,
        series: [
          { label: 'Time' },
          { label: unit ? `${label} (${unit})` : label, stroke: themeColour('--accent'), width: 2, points: { show: measures.length < 60 } },
        ],
        axes: [axis, axis],
      },
      data,
      element,
    );
    // A canvas does not reflow: the chart follows its holder's width (a narrow window, the navigation folding).
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(320, element.clientWidth), height: 300 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [measures, label, unit, theme]);
  return <div ref={holder} />;
}
