/**
 * Hand-written SVG charts for the benchmark results (no charting dependency): grouped bar
 * panels (one group per workload, one bar per exporter) and line panels over time.
 */

export interface BarPanel {
  title: string;
  /** Value of each series for each group: values[series][group]; NaN = no bar. */
  values: number[][];
  /** A dashed horizontal line (a target), labelled. */
  target?: { value: number; label: string };
}

export interface LinePanel {
  title: string;
  series: { name: string; ys: number[] }[];
}

const COLORS = ['#2b7bb9', '#e07b39', '#c9a227', '#3a9d5d', '#9b59b6', '#c0392b'];
const FONT = 'font-family="system-ui, sans-serif"';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A "nice" axis maximum (1, 2, 2.5, 5 x 10^k) at or above `v`. */
function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

function legend(names: string[], x: number, y: number): string {
  return names
    .map((n, i) => `<rect x="${x + i * 210}" y="${y - 10}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>` +
      `<text x="${x + i * 210 + 18}" y="${y}" font-size="12" ${FONT}>${esc(n)}</text>`)
    .join('');
}

/** Stacked panels of grouped bars sharing the group labels and the series legend. */
export function groupedBarChart(title: string, groups: string[], seriesNames: string[], panels: BarPanel[]): string {
  const left = 60, right = 20, panelH = 220, gap = 70, top = 60;
  const groupW = Math.max(60, seriesNames.length * 16 + 20);
  const width = left + right + groups.length * groupW;
  const height = top + panels.length * (panelH + gap) + 20;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="22" font-size="16" font-weight="bold" ${FONT}>${esc(title)}</text>`,
    legend(seriesNames, left, 44),
  ];
  panels.forEach((panel, p) => {
    const y0 = top + p * (panelH + gap) + 20;
    const max = niceMax(Math.max(...panel.values.flat().filter(Number.isFinite), panel.target?.value ?? 0));
    out.push(`<text x="${left}" y="${y0 - 6}" font-size="13" ${FONT}>${esc(panel.title)}</text>`);
    for (let t = 0; t <= 4; t++) {
      const y = y0 + panelH - (t / 4) * panelH;
      out.push(`<line x1="${left}" x2="${width - right}" y1="${y}" y2="${y}" stroke="#ddd"/>`,
        `<text x="${left - 6}" y="${y + 4}" font-size="10" text-anchor="end" ${FONT}>${fmt((t / 4) * max)}</text>`);
    }
    if (panel.target) {
      const y = (y0 + panelH - (panel.target.value / max) * panelH).toFixed(1);
      out.push(`<line x1="${left}" x2="${width - right}" y1="${y}" y2="${y}" stroke="#c0392b" stroke-dasharray="6 4"/>`,
        `<text x="${width - right}" y="${Number(y) - 4}" font-size="10" text-anchor="end" fill="#c0392b" ${FONT}>${esc(panel.target.label)}</text>`);
    }
    groups.forEach((g, gi) => {
      const gx = left + gi * groupW + 10;
      panel.values.forEach((vals, si) => {
        const v = vals[gi]!;
        if (!Number.isFinite(v)) return;
        const h = (v / max) * panelH;
        const x = gx + si * 16;
        const top = y0 + panelH - h;
        out.push(`<rect x="${x}" y="${top.toFixed(1)}" width="14" height="${h.toFixed(1)}" fill="${COLORS[si % COLORS.length]}"><title>${esc(`${g} / ${seriesNames[si]}: ${fmt(v)}`)}</title></rect>`,
          // the value, written upwards above (or, for tall bars, inside) the bar
          `<text transform="translate(${x + 10},${(h > panelH - 30 ? top + 28 : top - 3).toFixed(1)}) rotate(-90)" font-size="9" ${FONT}>${fmt(v)}</text>`);
      });
      out.push(`<text x="${gx + (seriesNames.length * 16) / 2}" y="${y0 + panelH + 14}" font-size="10" text-anchor="middle" ${FONT}>${esc(g)}</text>`);
    });
  });
  out.push('</svg>');
  return out.join('\n');
}

/** Stacked line panels over a shared x axis (e.g. seconds); `title` may hold a second line after '\n'. */
export function lineChart(title: string, xLabel: string, xs: number[], panels: LinePanel[]): string {
  const titleLines = title.split('\n');
  const left = 70, right = 190, panelH = 180, gap = 60, plotW = 720;
  const top = 22 + titleLines.length * 20;
  const width = left + plotW + right;
  const height = top + panels.length * (panelH + gap) + 20;
  const xMax = Math.max(...xs, 1);
  const px = (x: number) => left + (x / xMax) * plotW;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...titleLines.map((t, i) => `<text x="${left}" y="${22 + i * 20}" font-size="${i ? 13 : 16}"${i ? '' : ' font-weight="bold"'} ${FONT}>${esc(t)}</text>`),
  ];
  panels.forEach((panel, p) => {
    const y0 = top + p * (panelH + gap) + 20;
    const max = niceMax(Math.max(...panel.series.flatMap((s) => s.ys).filter(Number.isFinite)));
    out.push(`<text x="${left}" y="${y0 - 6}" font-size="13" ${FONT}>${esc(panel.title)}</text>`);
    for (let t = 0; t <= 4; t++) {
      const y = y0 + panelH - (t / 4) * panelH;
      out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#ddd"/>`,
        `<text x="${left - 6}" y="${y + 4}" font-size="10" text-anchor="end" ${FONT}>${fmt((t / 4) * max)}</text>`);
    }
    for (let t = 0; t <= 5; t++) {
      const x = left + (t / 5) * plotW;
      out.push(`<text x="${x}" y="${y0 + panelH + 14}" font-size="10" text-anchor="middle" ${FONT}>${fmt((t / 5) * xMax)}</text>`);
    }
    out.push(`<text x="${left + plotW}" y="${y0 + panelH + 28}" font-size="10" text-anchor="end" ${FONT}>${esc(xLabel)}</text>`);
    panel.series.forEach((s, si) => {
      const pts = s.ys.map((y, i) => `${px(xs[i]!).toFixed(1)},${(y0 + panelH - (y / max) * panelH).toFixed(1)}`).join(' ');
      const color = COLORS[si % COLORS.length];
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts}"/>`,
        `<rect x="${left + plotW + 12}" y="${y0 + si * 18}" width="12" height="3" fill="${color}"/>`,
        `<text x="${left + plotW + 30}" y="${y0 + si * 18 + 5}" font-size="11" ${FONT}>${esc(s.name)}</text>`);
    });
  });
  out.push('</svg>');
  return out.join('\n');
}
