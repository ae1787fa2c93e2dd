// The table of cases the Python side (tests/unit/common/test_format.py) is held to as well:
// a metric value, a duration, a size and a cell's description read the same in both.
import { describe, expect, it } from "vitest";
import cases from "../../tests/unit/common/format_cases.json";
import { describeCell, formatBytes, formatMetric, formatSeconds, type CellFacts } from "../src/format";

type Raw = number | string | null;
/** A case's input: JSON has no NaN or infinities, so they are written as strings. */
const number = (raw: Raw): number | null => (typeof raw === "string" ? Number(raw) : raw);
const pairs = (table: unknown[][]) => table.map(([raw, shown]) => [raw as Raw, shown as string] as const);

describe("the shared table of cases", () => {
  it.each(pairs(cases.metric))("metric %s reads %s", (raw, shown) => {
    expect(formatMetric(number(raw))).toBe(shown);
  });
  it.each(pairs(cases.seconds))("%s seconds read %s", (raw, shown) => {
    expect(formatSeconds(number(raw))).toBe(shown);
  });
  it.each(pairs(cases.bytes))("%s bytes read %s", (raw, shown) => {
    expect(formatBytes(number(raw) as number)).toBe(shown);
  });
  it.each(cases.cells)("describes a cell ($lines.0)", ({ facts, lines }) => {
    const given: CellFacts = {
      ...facts, axes: facts.axes.map(([title, label]) => [title!, label!] as const),
      metrics: facts.metrics.map(([name, value]) => [name as string, number(value as Raw)] as const),
    };
    expect(describeCell(given)).toEqual(lines);
  });
});
