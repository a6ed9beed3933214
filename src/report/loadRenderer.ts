/**
 * The renderer (canvas, Chart.js, MJML) is loaded on first use: it is the bulk of a worker's memory,
 * and a worker that only scans and loads never needs it.
 */
export const loadRenderer = () => import('./renderReport');
