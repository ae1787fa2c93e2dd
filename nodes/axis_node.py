"""XYZ Axis: the values to try for one input (or several, with paired values)."""
from __future__ import annotations

from comfy_api.latest import io

from ..host.adapter import execution_blocker
from ..xyz_studio import protocol as P
from ..xyz_studio.planning.plan import AxisMode, AxisRequest
from ..xyz_studio.planning.preflight import refusal_for

VALUES_HELP = (
    "Values to try, separated by commas or new lines. Numbers: 1-9 (+2), 10-2 (-4), 0.5-2 (+0.25), 1-10 [4]. "
    "Choices: * for all, globs like dpmpp_*, !ddim to exclude. Seeds: random 4. "
    "Paired values set several inputs at once: euler | normal, dpmpp_2m | karras (wire value, value_2, ...). "
    "Quote values that contain commas or |: \"a, b\". In prompt S/R mode the first value is the text to find."
)


class XYZAxis(io.ComfyNode):
    @classmethod
    def define_schema(cls) -> io.Schema:
        value_outputs = [
            io.AnyType.Output(
                "value" if k == 1 else f"value_{k}",
                display_name="value" if k == 1 else f"value_{k}",
                tooltip=("Connect to the input this axis varies (any widget input of any node)." if k == 1 else
                         f"Component {k} of paired values (after the {k - 1}. '|'): connect to a second input."),
            )
            for k in range(1, P.AXIS_VALUE_OUTPUTS + 1)
        ]
        return io.Schema(
            node_id=P.NODE_AXIS,
            display_name="XYZ Axis",
            category="XYZ Studio",
            description=(
                "One axis of an XYZ plot. Connect 'axis' to an axis input of a Grid Driver and 'value' to the input "
                "to vary (sampler, cfg, steps, seed, checkpoint, LoRA strength, ...). Values are checked against "
                "that input before anything runs."
            ),
            inputs=[
                io.String.Input("values", multiline=True, default="", tooltip=VALUES_HELP),
                io.Combo.Input("mode", options=[m.value for m in AxisMode], default=AxisMode.VALUES.value,
                               tooltip="values: set the connected input(s) to each value. prompt S/R: leave 'value' "
                                       "unconnected; the first value is searched in every prompt text and replaced "
                                       "by each value in turn."),
                io.String.Input("title", default="", tooltip="Axis title on the grid. Empty: the input's name."),
                io.String.Input("labels", default="", optional=True,
                                tooltip="Optional labels, one per value, comma-separated (same quoting as values). "
                                        "Empty: the values themselves."),
            ],
            outputs=[io.Custom(P.AXIS_TYPE).Output("axis", display_name="axis",
                                                    tooltip="Connect to an axis input of a Grid Driver."),
                     *value_outputs],
            hidden=[io.Hidden.unique_id],
        )

    @classmethod
    def validate_inputs(cls, values: str | None) -> bool | str:
        # The check of the whole queued workflow (planning/preflight.py) found this axis at
        # fault: ComfyUI refuses the prompt and shows the message on this node. One argument:
        # ComfyUI reports the message once per argument, against that input.
        return refusal_for(str(cls.hidden.unique_id)) or True

    @classmethod
    def execute(cls, values: str, mode: str, title: str, labels: str = "") -> io.NodeOutput:
        request = AxisRequest(node_id=str(cls.hidden.unique_id), values=values, mode=mode, title=title,
                              labels=labels or "")
        # The queued workflow itself must not render: the value outputs stop everything
        # downstream; the Grid Driver queues one real prompt per cell instead.
        blocked = [execution_blocker() for _ in range(P.AXIS_VALUE_OUTPUTS)]
        return io.NodeOutput(request.to_dict(), *blocked)
