"""Where the pack meets its ComfyUI host: the extension entry point, the HTTP routes,
and the adapter that holds every touch of ComfyUI beyond the V3 node API."""
