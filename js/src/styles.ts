// The extension's stylesheet, added once to the page. ComfyUI's theme variables are used
// where they exist, so the panel follows the light and dark palettes.
import { SEARCH_CSS } from "./search_chart";

const CSS = `
.xyz-scrubber { position: relative; display: flex; flex-direction: column; gap: 4px; min-height: 240px;
  height: 100%; box-sizing: border-box; padding: 4px; overflow: hidden; outline: none;
  color: var(--input-text, #ddd); font: 12px/1.3 system-ui, sans-serif; background: var(--comfy-input-bg, #222);
  border-radius: 6px; }
.xyz-node-panel { min-height: 360px; }
.xyz-scrubber:focus-visible { box-shadow: 0 0 0 1px var(--p-primary-color, #4a90e2); }
.xyz-head { display: flex; flex-direction: column; gap: 3px; }
.xyz-title { font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.xyz-title[data-status="failed"], .xyz-title[data-status="interrupted"] { color: #f0a020; }
.xyz-progress-bar { display: flex; height: 6px; border-radius: 3px; overflow: hidden; background: rgba(127,127,127,.3); }
.xyz-progress-done { background: #3fb950; transition: width .2s; }
.xyz-progress-failed { background: #e5534b; transition: width .2s; }
.xyz-progress-text { opacity: .85; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.xyz-z { display: flex; align-items: center; gap: 6px; }
.xyz-z-label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; flex: 0 1 45%; }
.xyz-z-slider { flex: 1; min-width: 60px; }
.xyz-sliders { display: flex; flex-direction: column; gap: 1px; }
.xyz-slider { border-left: 2px solid transparent; padding-left: 2px; }
.xyz-slider.xyz-active { border-left-color: var(--p-primary-color, #4a90e2); }
.xyz-buttons, .xyz-row-buttons { display: flex; gap: 4px; flex-wrap: wrap; }
.xyz-buttons { align-items: center; }
.xyz-pickers { display: inline-flex; gap: 4px; align-items: center; }
.xyz-picker-label { opacity: .75; }
.xyz-columns, .xyz-rows { font: inherit; max-width: 160px; padding: 1px 2px; border-radius: 4px;
  border: 1px solid var(--border-color, #555); background: var(--comfy-input-bg, #222); color: inherit; }
.xyz-values { display: flex; flex-direction: column; gap: 3px; max-height: 30%; overflow: auto; }
.xyz-values-axis { display: flex; flex-wrap: wrap; gap: 3px; align-items: center; }
.xyz-values-title { font-weight: 600; margin-right: 2px; }
.xyz-value { padding: 0 6px; max-width: 160px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.xyz-value.xyz-off { opacity: .45; text-decoration: line-through; }
.xyz-value { touch-action: none; cursor: grab; }
.xyz-value.xyz-dragging { opacity: .5; cursor: grabbing; }
.xyz-value.xyz-drop-before { box-shadow: -3px 0 0 var(--p-primary-color, #4a90e2); }
.xyz-value.xyz-drop-after { box-shadow: 3px 0 0 var(--p-primary-color, #4a90e2); }
.xyz-pin-button { position: absolute; top: 1px; right: 1px; z-index: 1; display: none; padding: 2px 4px;
  font-size: 10px; line-height: 1; border-radius: 3px; border: none; cursor: pointer; color: #fff;
  background: rgba(0,0,0,.65); }
.xyz-pin-button .pi { font-size: 10px; }
.xyz-tile:hover .xyz-pin-button { display: block; }
.xyz-tile[data-pin] { outline: 2px solid var(--p-primary-color, #4a90e2); outline-offset: -2px; }
.xyz-tile[data-pin]::after { content: attr(data-pin); position: absolute; left: 2px; top: 2px; padding: 0 4px;
  border-radius: 3px; font: 700 10px/1.4 system-ui, sans-serif; color: #fff;
  background: var(--p-primary-color, #4a90e2); }
.xyz-pin-slice.xyz-on, .xyz-compare-tools .xyz-on { border-color: var(--p-primary-color, #4a90e2); }
.xyz-compare { flex: 1; min-height: 240px; display: flex; flex-direction: column; gap: 4px; overflow: auto; }
.xyz-compare-tools, .xyz-compare-pairs { display: flex; gap: 4px; flex-wrap: wrap; align-items: center; }
.xyz-compare-labels { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; font-size: 11px; }
.xyz-compare-label { overflow-wrap: anywhere; }
.xyz-compare-pin { font-weight: 700; }
.xyz-compare-stage { flex: 1; min-height: 180px; display: flex; }
.xyz-compare-stage img, .xyz-difference { image-rendering: pixelated; }
.xyz-compare-side { flex: 1; display: grid; grid-template-columns: 1fr 1fr; gap: 4px; }
.xyz-compare-half { margin: 0; display: flex; flex-direction: column; align-items: center; min-height: 0; }
/* the images and the canvas take the stage's height, never their own (the Vue renderer would grow the node
   to a square image's width) */
.xyz-compare-image { width: 100%; flex: 1 1 0; height: 0; min-height: 140px; object-fit: contain; }
.xyz-wipe-box, .xyz-difference-box { flex: 1; display: flex; flex-direction: column; gap: 4px; }
.xyz-wipe { position: relative; flex: 1; min-height: 160px; cursor: ew-resize; touch-action: none; }
.xyz-wipe img { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain; pointer-events: none; }
.xyz-wipe-divider { position: absolute; top: 0; bottom: 0; width: 2px; margin-left: -1px; background: #fff;
  box-shadow: 0 0 3px #000; pointer-events: none; }
.xyz-difference { flex: 1 1 0; height: 0; min-height: 160px; width: 100%; object-fit: contain; }
.xyz-compare-figure { font-variant-numeric: tabular-nums; }
.xyz-mode.xyz-on { border-color: var(--p-primary-color, #4a90e2); }
.xyz-table-box { flex: 1; min-height: 120px; display: flex; flex-direction: column; gap: 4px; overflow: hidden; }
.xyz-table-tools { display: flex; gap: 6px; align-items: center; }
.xyz-filter { flex: 1; min-width: 80px; font: inherit; padding: 2px 6px; border-radius: 4px;
  border: 1px solid var(--border-color, #555); background: var(--comfy-input-bg, #222); color: inherit; }
.xyz-table-count { opacity: .8; white-space: nowrap; font-variant-numeric: tabular-nums; }
.xyz-table-scroll { flex: 1; overflow: auto; }
/* the Vue renderer grows a node to its content: the table scrolls inside a bounded box instead of
   making a node hundreds of rows tall (the classic canvas bounds it by the node's size) */
[data-node-id] .xyz-table-scroll { max-height: 480px; }
.xyz-table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
.xyz-table th { position: sticky; top: 0; z-index: 1; background: var(--comfy-menu-bg, #333); text-align: left; }
.xyz-table td, .xyz-table th { padding: 1px 6px; border-bottom: 1px solid rgba(127,127,127,.25);
  white-space: nowrap; max-width: 180px; overflow: hidden; text-overflow: ellipsis; }
.xyz-sort { font: inherit; font-weight: 600; background: none; border: none; color: inherit; cursor: pointer;
  padding: 2px 0; }
.xyz-table-row[data-status="done"] { cursor: zoom-in; }
.xyz-table-row[data-status="failed"] { color: #ff9b94; }
.xyz-table-row:hover { background: rgba(127,127,127,.15); }
.xyz-table-thumb { width: 40px; padding: 1px !important; }
.xyz-table-thumb img { width: 40px; height: 40px; object-fit: contain; display: block; }
.xyz-button { font: inherit; padding: 2px 8px; border-radius: 4px; cursor: pointer;
  border: 1px solid var(--border-color, #555); background: var(--comfy-menu-bg, #333); color: inherit; }
.xyz-button:hover { filter: brightness(1.2); }
.xyz-button:disabled { opacity: .4; cursor: default; }
.xyz-grid-box { flex: 1; min-height: 120px; overflow: auto; }
.xyz-grid { --xyz-tile: 96px; }
.xyz-plane { position: relative; display: grid; gap: 2px;
  grid-template-columns: max-content repeat(var(--xyz-columns, 1), var(--xyz-tile)); }
/* the hidden attribute wins over every display rule of ours (a flex row would otherwise stay shown) */
.xyz-scrubber [hidden], .xyz-sidebar [hidden], .xyz-overlay [hidden] { display: none !important; }
/* a slice not shown keeps its layout: content-visibility: hidden skips it and keeps what was laid out, where
   display: none would throw it away, so a pivot or a step back to a slice of thousands of tiles shows it
   again without laying every tile out anew (its size is contained: it takes no room meanwhile); the selector
   outranks the hidden rule above */
@supports (content-visibility: hidden) {
  .xyz-scrubber .xyz-grid > .xyz-plane[hidden] { display: grid !important; content-visibility: hidden; }
}
/* labels wrap between words only and end in an ellipsis past three lines; the column
   labels and the corner stay on top, the row labels on the left, while a big grid scrolls */
.xyz-corner, .xyz-col-label, .xyz-row-label { font-size: 11px; overflow: hidden; overflow-wrap: normal;
  word-break: normal; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3;
  background: var(--comfy-input-bg, #222); color: var(--input-text, #ddd); }
.xyz-one-word { display: block; white-space: nowrap; text-overflow: ellipsis; }
.xyz-corner { align-self: stretch; font-style: italic; max-width: 72px; position: sticky; top: 0; left: 0;
  z-index: 3; display: flex; align-items: flex-end; }
/* the corner's words: three lines at most like every label (its flex box above would undo the clamp) */
.xyz-corner-text { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; overflow: hidden; }
.xyz-col-label { align-self: stretch; text-align: center; position: sticky; top: 0; z-index: 2;
  padding-top: 1px; }
.xyz-row-label { max-width: 72px; align-self: stretch; text-align: right; position: sticky; left: 0;
  z-index: 1; padding-right: 2px; -webkit-line-clamp: 4; }
.xyz-row-due { grid-column: 2 / -1; height: var(--xyz-tile); }
.xyz-tile { position: relative; width: var(--xyz-tile); height: var(--xyz-tile); border-radius: 2px;
  overflow: hidden; background: rgba(127,127,127,.15); box-sizing: border-box; cursor: default; }
.xyz-tile[data-status="queued"] { border: 1px dashed rgba(127,127,127,.5); }
.xyz-tile[data-status="done"] { cursor: zoom-in; }
.xyz-tile[data-status="failed"] { background: #5c1f1f; border: 1px solid #e5534b; color: #ffd0cc; }
.xyz-tile[data-status="cancelled"] { background: #444; color: #aaa; }
/* a search: a cell it has not run is an empty tile (quieter than a dry run's placeholder); its best cell so far
   is outlined and badged (amber: a pin is blue, a failure red) */
.xyz-tile[data-not-run] { background: rgba(127,127,127,.05); border: 1px solid rgba(127,127,127,.12); }
.xyz-tile[data-best] { outline: 3px solid #e3b341; outline-offset: -3px; }
.xyz-tile[data-best]::before { content: "best"; position: absolute; left: 3px; bottom: 3px; z-index: 1; padding: 0 3px;
  border-radius: 2px; font: 700 9px/1.2 system-ui, sans-serif; color: #222; background: #e3b341; }
.xyz-table-row[data-pin] { outline: 2px solid var(--p-primary-color, #4a90e2); outline-offset: -2px; }
.xyz-table-thumb[data-pin] { position: relative; }
.xyz-table-thumb[data-pin]::after { content: attr(data-pin); position: absolute; left: 2px; top: 2px; padding: 0 4px;
  border-radius: 3px; font: 700 10px/1.4 system-ui, sans-serif; color: #fff; background: var(--p-primary-color, #4a90e2); }
.xyz-table-row[data-best] { box-shadow: inset 3px 0 0 #e3b341; background: rgba(227,179,65,.14); }
.xyz-tile-image { width: 100%; height: 100%; object-fit: contain; display: block; }
.xyz-tile-image[hidden] { display: none; }
.xyz-tile-caption { position: absolute; inset: 2px; font-size: 10px; overflow: hidden; overflow-wrap: anywhere; }
.xyz-empty { opacity: .7; padding: 8px; }
.xyz-tooltip { position: fixed; z-index: 10001; pointer-events: none; max-width: 360px; padding: 4px 6px;
  border-radius: 4px; background: rgba(0,0,0,.88); color: #fff; font: 11px/1.35 system-ui, sans-serif;
  overflow-wrap: anywhere; }
.xyz-export-menu { position: fixed; z-index: 10001; display: flex; flex-direction: column; min-width: 200px;
  padding: 4px 0; border-radius: 6px; border: 1px solid var(--border-color, #555);
  background: var(--comfy-menu-bg, #333); color: var(--input-text, #ddd); font: 12px/1.3 system-ui, sans-serif;
  box-shadow: 0 4px 16px rgba(0,0,0,.4); }
.xyz-export-menu[hidden] { display: none; }
.xyz-export-item { padding: 5px 12px; color: inherit; text-decoration: none; white-space: nowrap; }
.xyz-export-item:hover, .xyz-export-item:focus { background: rgba(127,127,127,.25); outline: none; }
.xyz-swap.xyz-on { border-color: var(--p-primary-color, #4a90e2); }
.xyz-tooltip[hidden] { display: none; }
.xyz-overlay { position: fixed; inset: 0; z-index: 10000; display: flex; flex-direction: column;
  align-items: center; justify-content: center; gap: 8px; background: rgba(0,0,0,.85); outline: none; }
.xyz-overlay-image { width: min(92vw, 80vh); height: min(92vw, 80vh); object-fit: contain; }
.xyz-overlay-caption { color: #eee; font: 13px system-ui, sans-serif; text-align: center; max-width: 90vw;
  overflow-wrap: anywhere; }
.xyz-overlay-close { position: absolute; top: 12px; right: 16px; font-size: 24px; background: none;
  border: none; color: #fff; cursor: pointer; }
.xyz-sidebar { display: flex; flex-direction: column; gap: 6px; padding: 8px; height: 100%; box-sizing: border-box;
  overflow: auto; font: 12px/1.3 system-ui, sans-serif; }
.xyz-sidebar-title { font-weight: 600; font-size: 14px; }
.xyz-list { display: flex; flex-direction: column; gap: 4px; }
.xyz-row { display: flex; gap: 6px; align-items: center; padding: 4px; border-radius: 4px; cursor: pointer;
  border: 1px solid transparent; }
.xyz-row:hover { background: rgba(127,127,127,.15); }
.xyz-row.xyz-selected { border-color: var(--p-primary-color, #4a90e2); }
.xyz-row-thumb { width: 48px; height: 48px; flex: none; background: rgba(127,127,127,.2); border-radius: 3px;
  overflow: hidden; }
.xyz-row-thumb img { width: 100%; height: 100%; object-fit: cover; }
.xyz-row-text { flex: 1; min-width: 0; }
.xyz-row-name { font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.xyz-row-meta { opacity: .8; }
.xyz-row-facts { opacity: .8; font-variant-numeric: tabular-nums; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.xyz-row-buttons { justify-content: flex-end; max-width: 40%; }
.xyz-row-buttons:empty { display: none; }
.xyz-row-tools { display: flex; flex-direction: column; gap: 3px; flex: none; }
.xyz-icon-button { padding: 1px 5px; line-height: 1.2; }
.xyz-icon-button .pi { font-size: 11px; }
.xyz-delete:not(:disabled):hover, .xyz-delete-picked:not(:disabled):hover { background: #8b2a24; border-color: #e5534b; }
.xyz-rename-input { width: 100%; box-sizing: border-box; font: inherit; font-weight: 600; padding: 1px 4px;
  border-radius: 3px; border: 1px solid var(--p-primary-color, #4a90e2); background: var(--comfy-input-bg, #222);
  color: inherit; }
.xyz-sidebar-head { display: flex; flex-direction: column; gap: 4px; }
.xyz-sidebar-summary { opacity: .8; font-variant-numeric: tabular-nums; }
.xyz-search { font: inherit; padding: 4px 6px; border-radius: 4px; border: 1px solid var(--border-color, #555);
  background: var(--comfy-input-bg, #222); color: inherit; }
.xyz-new-runs { align-self: stretch; text-align: center; border-color: var(--p-primary-color, #4a90e2); }
.xyz-detail-actions { display: flex; gap: 6px; flex-wrap: wrap; }
.xyz-pager { display: flex; gap: 6px; align-items: center; justify-content: space-between; }
.xyz-detail { display: flex; flex-direction: column; gap: 4px; min-height: 420px; }
.xyz-detail[hidden] { display: none; }
.xyz-large { min-height: 400px; }
${SEARCH_CSS}`;

const STYLE_ID = "xyz-studio-style";

export function addStyles(): void {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement("style");
  style.id = STYLE_ID;
  style.textContent = CSS;
  document.head.append(style);
}
