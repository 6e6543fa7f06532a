// CSV cells and files: RFC 4180 quoting (only where a parser needs it), formula-looking text
// neutralised, typed values written as their text — and papaparse reads every file back.
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "../src/csv.ts";

describe("csvCell", () => {
  it("quotes a cell with a comma, a quote, a line break or edge whitespace, doubling quotes", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\r")).toBe('"cr\r"');
    expect(csvCell(" padded")).toBe('" padded"');
  });

  it("neutralises text a spreadsheet would evaluate (= + - @ tab CR at the start)", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+1+2")).toBe("'+1+2");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("\r=1")).toBe('"\'\r=1"');
    expect(csvCell("a=1")).toBe("a=1");
  });

  it("writes numbers, booleans, bigints, dates, nested values and nothing as their text", () => {
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(1.5)).toBe("1.5");
    expect(csvCell(true)).toBe("true");
    expect(csvCell(12n)).toBe("12");
    expect(csvCell(new Date("2026-12-02T08:00:00.000Z"))).toBe("2026-12-02T08:00:00.000Z");
    expect(csvCell({ a: 1, b: "x" })).toBe('"{""a"":1,""b"":""x""}"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
  });
});

describe("toCsv", () => {
  it("ends every record with CRLF and parses back to the same cells", () => {
    const csv = toCsv(
      ["name", "note", "count"],
      [
        ["Ada", 'said "hello, world"\nthen left', 3],
        ["=cmd", null, -1],
      ],
    );
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.split("\r\n")[0]).toBe("name,note,count");
    const parsed = Papa.parse<string[]>(csv.trimEnd(), { newline: "\r\n" });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual([
      ["name", "note", "count"],
      ["Ada", 'said "hello, world"\nthen left', "3"],
      ["'=cmd", "", "-1"],
    ]);
  });
});
