// XYZ Plot Studio in the ComfyUI editor.
//
// The pack sends its own websocket events (names and payloads: xyz_studio/protocol.py)
// to the tab that queued an experiment; a frontend with no listener for an event logs
// "Unknown message type" as an error. This extension takes both events and keeps the
// latest state per experiment; the Z-scrubber panel and the sidebar build on it.
import { app } from "../../scripts/app.js";
import { api } from "../../scripts/api.js";

const EVENT_EXPERIMENT = "xyz_studio.experiment";
const EVENT_CELL = "xyz_studio.cell";
const latest = new Map(); // experiment id -> the last payload seen for it (the newest few only)
const KEEP = 50;

app.registerExtension({
  name: "xyz_studio.events",
  init() {  // before the graph loads and the socket delivers anything
    for (const name of [EVENT_EXPERIMENT, EVENT_CELL]) {
      api.addEventListener(name, (event) => {
        const payload = event.detail;
        if (!payload || typeof payload.experiment !== "string") return;
        latest.delete(payload.experiment);
        latest.set(payload.experiment, payload);
        if (latest.size > KEEP) latest.delete(latest.keys().next().value);
      });
    }
  },
});
