import { describe, expect, it } from "vitest";
import { pairedComponents, valueOutputsNeeded } from "../src/node_shapes";

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
