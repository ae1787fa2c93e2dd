import { describe, expect, it } from "vitest";
import { axisInputsWanted, axisNumber, pairedComponents, valueOutputsNeeded } from "../src/node_shapes";

describe("pairedComponents", () => {
  it("counts the components of the widest pair", () => {
    expect(pairedComponents("")).toBe(1);
    expect(pairedComponents("1, 2, 3")).toBe(1);
    expect(pairedComponents("a | b, c | d")).toBe(2);
    expect(pairedComponents("euler | normal\ndpmpp_2m | karras | 3")).toBe(3);
    expect(pairedComponents("a, b | c")).toBe(2);
  });

  it("ignores bars and commas in quotes, as the value syntax does", () => {
    expect(pairedComponents('"a | b", c')).toBe(1);
    expect(pairedComponents('"say ""|"" here" | x')).toBe(2);
    expect(pairedComponents('"a, b" | c | d')).toBe(3);
  });

  it("never asks for more outputs than the node has", () => {
    expect(pairedComponents("a | b | c | d | e | f")).toBe(4);
  });
});

describe("valueOutputsNeeded", () => {
  it("keeps every output up to the last connected one", () => {
    expect(valueOutputsNeeded(1, [false, false, false, false])).toBe(1);
    expect(valueOutputsNeeded(2, [true, false, false, false])).toBe(2);
    expect(valueOutputsNeeded(1, [true, false, true, false])).toBe(3);
    expect(valueOutputsNeeded(1, [])).toBe(1);
  });
});

describe("the Grid Driver's growing axis inputs", () => {
  it("numbers the axis inputs as the Python side does, and nothing else", () => {
    expect(["x", "y", "z", "axis4", "axis8", "axis9", "axis12"].map(axisNumber)).toEqual([1, 2, 3, 4, 8, 9, 12]);
    for (const name of ["name", "search", "axis", "axis3", "axis09", "Axis9", "axis12345"]) {
      expect(axisNumber(name)).toBeNull();
    }
  });

  it("keeps the declared eight and adds one spare once the last of them or a later one is linked", () => {
    expect(axisInputsWanted([])).toBe(8);
    expect(axisInputsWanted([1, 2, 7])).toBe(8);
    expect(axisInputsWanted([1, 8])).toBe(9);
    expect(axisInputsWanted([1, 8, 9])).toBe(10);
    expect(axisInputsWanted([1, 12])).toBe(13);   // a gap below counts one value
    expect(axisInputsWanted([1, 2, 3])).toBe(8);  // unlinked again: the spares go
  });
});
