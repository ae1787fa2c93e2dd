"""The official templates the converter does not give the frontend's prompt for, by frontend, with
why. test_converter_vs_frontend fails when a template not listed here differs, when a listed one
differs otherwise than listed (its kind), and when a listed one converts equal (take it off).
Regenerate from a browser run's saved answers with template_diff.offline().

1.58.1 (the newest reading, the converter's default): none.

1.32.9: refused with NewerFrontendRequired ("needs a newer frontend"), the runner's answer on a
server that serves 1.32: these are workflows 1.32 reads otherwise than newer frontends, so its
prompt is not what the workflow says (a widget with another one's value, a muted subgraph's nodes
run). The converter's 1.32 reading gives exactly 1.32's prompt on these too (the test checks it,
and that 1.32's prompt really differs from the newest reading), but queueing a misreading would
spoil every cell of a grid, and updating ComfyUI fixes it. Each with the 1.32 behaviour behind it
(a FrontendDialect property):
"""

NEEDS_NEWER = "needs a newer frontend"   # template_diff.Kind.NEEDS_NEWER

# follows_held_links: a subgraph input's link names a stale inner slot (the subgraph was edited
# after the save); 1.32 promotes the widget at that slot, newer frontends the one holding the link
STALE_SLOT = "stale link slot: 1.32 promotes another inner widget"
# ... and that slot is a text area, whose text 1.32's promoted copy shares (shares_text_areas):
# the instance's text is written into another input of the inner node
STALE_TEXT_AREA = "stale link slot on a text area: 1.32 writes the text into another input"
# opens_muted_instances: 1.32 queues the nodes inside a muted or bypassed subgraph node
MUTED = "muted/bypassed subgraph node: 1.32 queues the nodes inside it"
# drops_shadowed_widgets: proxyWidgets names an inner widget in place of the instance's own one;
# 1.32 drops the instance's widget, so the inner node's own (dynamic-prompt-serialised) value goes
SHADOWED = "widget shadowed in proxyWidgets: 1.32 queues the inner widget's own value"
# promoted_text_is_text: a saved non-text value promoted into a text widget; 1.32 queues "true"
TEXT = "non-text value in a promoted text widget: 1.32 queues it as text"
# reads_quarantine: properties.proxyWidgetErrorQuarantine values of a newer save; 1.32 ignores them
QUARANTINE = "proxyWidgetErrorQuarantine values: 1.32 ignores them"

REFUSED_ON_1_32: dict[str, str] = {
    '3d_hunyuan3d-v2.1': STALE_SLOT,
    'api_anthropic_claude_fable5_1': STALE_TEXT_AREA,
    'api_anthropic_claude_opus_5': STALE_TEXT_AREA,
    'api_anthropic_claude_opus_5_5': STALE_TEXT_AREA,
    'api_anthropic_claude_sonnet5': STALE_TEXT_AREA,
    'api_openai_gpt6_astra': STALE_TEXT_AREA,
    'api_openrouter_gpt5_6_luna': STALE_TEXT_AREA,
    'api_openrouter_gpt5_6_sol': STALE_TEXT_AREA,
    'api_openrouter_gpt5_6_terra': STALE_TEXT_AREA,
    'api_openrouter_kimi_k3': STALE_TEXT_AREA,
    'flux1_dev_uso_reference_image_gen': MUTED,
    'image_ernie_image': SHADOWED,
    'image_ernie_image_turbo': SHADOWED,
    'image_flux.1_fill_dev_OneReward': MUTED,
    'image_flux2_klein_image_edit_4b_base': MUTED,
    'image_flux2_klein_image_edit_4b_distilled': MUTED,
    'image_flux2_klein_image_edit_9b_base': MUTED,
    'image_flux2_klein_image_edit_9b_distilled': MUTED,
    'image_flux2_klein_text_to_image': MUTED,
    'image_flux3_klein_t2i': TEXT,
    'image_ideogram4_t2i': SHADOWED,
    'image_ideogram4_t2i_int8': SHADOWED,
    'image_mage_flow_edit_int8': STALE_SLOT,
    'image_mage_flow_edit_turbo_int8': STALE_SLOT,
    'image_moss_image_base_t2i': TEXT,
    'image_moss_image_base_t2i_bboxes': TEXT,
    'image_moss_image_t2i': TEXT,
    'image_moss_image_t2i_bboxes': TEXT,
    'image_ovis_text_to_image': STALE_SLOT,
    'image_qwen_image_instantx_inpainting_controlnet': MUTED,
    'image_qwen_image_layered': MUTED,
    'video_ltx2_canny_to_video': MUTED,
    'video_ltx2_i2v_lora': QUARANTINE,
    'video_wan2_2_14B_s2v': MUTED,
    'video_wan_animate2_distilled': MUTED,
}

KNOWN: dict[str, dict[str, tuple[str, str]]] = {
    '1.32.9': {name: (NEEDS_NEWER, why) for name, why in REFUSED_ON_1_32.items()},
    '1.58.1': {},
}
