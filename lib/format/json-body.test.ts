import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prettyBody } from "./json-body";

describe("prettyBody", () => {
  it("indents a JSON body by two spaces, as JSON.stringify would", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const compact = JSON.stringify(value);
        expect(prettyBody(compact)).toBe(JSON.stringify(JSON.parse(compact), null, 2));
      }),
    );
  });

  it("re-indents JSON that came indented some other way", () => {
    expect(prettyBody('{\n\t"ok" :true ,"list":[ 1,\n 2 ], "empty": { } }')).toBe('{\n  "ok": true,\n  "list": [\n    1,\n    2\n  ],\n  "empty": {}\n}');
  });

  it("keeps numbers and strings exactly as they were sent", () => {
    expect(prettyBody('{"amount":12345678901234567890,"rate":1.10,"note":"a, b: {c}\\" ["}')).toBe(
      '{\n  "amount": 12345678901234567890,\n  "rate": 1.10,\n  "note": "a, b: {c}\\" ["\n}',
    );
  });

  it("leaves a body that is not JSON as it is: text, HTML, a JSON body cut short", () => {
    for (const body of ["down for maintenance", "<html><body>502</body></html>", '{"type":"invoice.paid","data":{"id":"inv_', ""]) {
      expect(prettyBody(body)).toBe(body);
    }
  });
});
