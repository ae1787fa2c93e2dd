import { describe, expect, it } from "vitest";
import { formatBytes, formatWhen } from "../src/format";

const at = (y: number, m: number, d: number, h: number, min: number) => new Date(y, m - 1, d, h, min).getTime() / 1000;

describe("formatWhen", () => {
  const now = new Date(2026, 11, 3, 18, 30);  // Dec 3 2026, 18:30 local
  it("says today and yesterday with the time", () => {
    expect(formatWhen(at(2026, 12, 3, 14, 5), now, "en-US")).toBe("today 14:05");
    expect(formatWhen(at(2026, 12, 3, 0, 0), now, "en-US")).toBe("today 00:00");
    expect(formatWhen(at(2026, 12, 2, 23, 59), now, "en-US")).toBe("yesterday 23:59");
  });
  it("gives the day, and the year only when it is not this one", () => {
    expect(formatWhen(at(2026, 11, 28, 9, 7), now, "en-US")).toBe("Nov 28, 09:07");
    expect(formatWhen(at(2025, 12, 3, 14, 5), now, "en-US")).toBe("Dec 3, 2025, 14:05");
  });
  it("tells apart runs a minute apart on the same day", () => {
    expect(formatWhen(at(2026, 12, 1, 14, 5), now, "en-US")).not.toBe(formatWhen(at(2026, 12, 1, 14, 6), now, "en-US"));
  });
});

describe("formatBytes", () => {
  it("reads like a file manager", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(812)).toBe("812 B");
    expect(formatBytes(12_400_000)).toBe("12.4 MB");
    expect(formatBytes(1_234_567_890)).toBe("1.2 GB");
    expect(formatBytes(310_000_000)).toBe("310 MB");
    expect(formatBytes(999_999)).toBe("1.0 MB");
    expect(formatBytes(1000)).toBe("1.0 KB");
    expect(formatBytes(99_960)).toBe("100 KB");
    expect(formatBytes(5e15)).toBe("5000 TB");
  });
});
