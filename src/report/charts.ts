import { createCanvas } from '@napi-rs/canvas';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import QuickChart from 'quickchart-js';
import { UserInputError } from '../errors';
import { ensureChartFont } from './fonts';

/** Bars run left to right (ranked lists) or bottom to top (hours of the day). */
export type BarOrientation = 'horizontal' | 'vertical';

/** What a bar chart shows; labels are already cut to length. */
export interface BarChartInput {
  readonly labels: readonly string[];
  readonly values: readonly number[];
  readonly orientation: BarOrientation;
  /** Names the data series (used by QuickChart's tooltips and by screen readers). */
  readonly seriesLabel: string;
}

/**
 * A Chart.js configuration and the size it is drawn at, in CSS pixels. The config holds only data
 * (no functions), so it serialises unchanged into a QuickChart URL.
 */
export interface ChartSpec {
  readonly config: ChartConfiguration<'bar', number[], string>;
  readonly width: number;
  readonly height: number;
}

const BAR_COLOR = '#3b6ea5';
const GRID_COLOR = '#e3e6ea';
const TEXT_COLOR = '#333333';
const BACKGROUND = '#ffffff';
/** Twice the CSS size, so charts stay sharp on high-density screens when shown at `width`. */
export const CHART_PIXEL_RATIO = 2;
/** Chart.js gives the label axis at most half the width: 250px holds 20 Hangul characters at 12px. */
export const HORIZONTAL_CHART_WIDTH = 500;
const VERTICAL_CHART_WIDTH = 840;
const VERTICAL_CHART_HEIGHT = 260;
const ROW_HEIGHT = 30;
const AXIS_ALLOWANCE = 44;

/** A bar chart config sized for the number of bars. */
export function barChartSpec(input: BarChartInput): ChartSpec {
  if (input.labels.length !== input.values.length) {
    throw new UserInputError(
      `a chart needs one value per label, got ${input.labels.length} labels and ${input.values.length} values`,
    );
  }
  const horizontal = input.orientation === 'horizontal';
  const valueAxis = {
    beginAtZero: true,
    ticks: { precision: 0, color: TEXT_COLOR },
    grid: { color: GRID_COLOR },
  };
  const labelAxis = { ticks: { autoSkip: false, color: TEXT_COLOR }, grid: { display: false } };
  return {
    width: horizontal ? HORIZONTAL_CHART_WIDTH : VERTICAL_CHART_WIDTH,
    height: horizontal
      ? AXIS_ALLOWANCE + ROW_HEIGHT * Math.max(1, input.labels.length)
      : VERTICAL_CHART_HEIGHT,
    config: {
      type: 'bar',
      data: {
        labels: [...input.labels],
        datasets: [
          { label: input.seriesLabel, data: [...input.values], backgroundColor: BAR_COLOR, borderWidth: 0 },
        ],
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        plugins: { legend: { display: false }, title: { display: false } },
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        layout: { padding: { right: horizontal ? 36 : 8, top: horizontal ? 4 : 18 } },
      },
    },
  };
}

/** Paints the background, so charts are not transparent (dark-mode mail clients would show black). */
const whiteBackground: Plugin<'bar'> = {
  id: 'libreportBackground',
  beforeDraw(chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/** Writes each bar's count at its end, so the chart can be read without the table. */
function valueLabels(fontFamily: string): Plugin<'bar'> {
  return {
    id: 'libreportValueLabels',
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx;
      const horizontal = chart.options.indexAxis === 'y';
      const meta = chart.getDatasetMeta(0);
      const values = chart.data.datasets[0]?.data ?? [];
      ctx.save();
      ctx.fillStyle = TEXT_COLOR;
      ctx.font = `11px "${fontFamily}"`;
      ctx.textAlign = horizontal ? 'left' : 'center';
      ctx.textBaseline = horizontal ? 'middle' : 'bottom';
      meta.data.forEach((bar, i) => {
        const value = values[i];
        if (typeof value !== 'number') return;
        const text = value.toLocaleString('en-US');
        if (horizontal) ctx.fillText(text, bar.x + 4, bar.y);
        else ctx.fillText(text, bar.x, bar.y - 2);
      });
      ctx.restore();
    },
  };
}

let chartJsReady = false;
function ensureChartJs(): void {
  if (chartJsReady) return;
  Chart.register(BarController, BarElement, CategoryScale, LinearScale);
  chartJsReady = true;
}

function withFont(spec: ChartSpec, family: string): ChartConfiguration<'bar', number[], string> {
  // Chart.js attaches listeners to the arrays it is given; work on a copy so the spec stays pure data.
  const config = structuredClone(spec.config);
  const font = { family, size: 12 };
  const scales = config.options?.scales ?? {};
  for (const axis of Object.values(scales)) {
    if (axis) axis.ticks = { ...axis.ticks, font };
  }
  config.options = {
    ...config.options,
    scales,
    animation: false,
    responsive: false,
    maintainAspectRatio: false,
    devicePixelRatio: CHART_PIXEL_RATIO,
  };
  config.plugins = [whiteBackground, valueLabels(family)];
  return config;
}

/**
 * Draws a chart to PNG without a browser or network, using the bundled Korean font.
 * The same spec always gives the same bytes.
 */
export function renderChartPng(spec: ChartSpec): Buffer {
  ensureChartJs();
  const family = ensureChartFont();
  const canvas = createCanvas(spec.width, spec.height);
  // Chart.js expects a DOM canvas context; @napi-rs/canvas implements the same 2D API.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const chart = new Chart(canvas.getContext('2d') as any, withFont(spec, family));
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}

/** The spec held by a QuickChart client, ready to serialise or turn into a URL. */
export function toQuickChart(spec: ChartSpec): QuickChart {
  return new QuickChart()
    .setConfig(spec.config)
    .setWidth(spec.width)
    .setHeight(spec.height)
    .setDevicePixelRatio(CHART_PIXEL_RATIO)
    .setBackgroundColor(BACKGROUND)
    .setFormat('png');
}

/** The URL of the chart's PNG on a QuickChart server at `baseUrl` (e.g. `http://127.0.0.1:3400`). */
export function quickChartUrl(spec: ChartSpec, baseUrl: string): string {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new UserInputError(`the QuickChart URL "${baseUrl}" is not a URL`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new UserInputError(`the QuickChart URL "${baseUrl}" must use http or https`);
  }
  // quickchart-js builds `${scheme}://${host}/chart`; a path prefix rides along in the host.
  const hostAndPath = base.host + base.pathname.replace(/\/+$/, '');
  return toQuickChart(spec).setScheme(base.protocol.slice(0, -1)).setHost(hostAndPath).getUrl();
}
