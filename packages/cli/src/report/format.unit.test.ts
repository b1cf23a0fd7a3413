import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  currencyMinorDigits,
  escapeHtml,
  formatCompact,
  formatDecimalString,
  formatInstant,
  formatInteger,
  formatMoney,
  formatMonth,
  formatPercent,
  jalaliDate,
  toPersianDigits,
} from "./format.js";

const plainDecimal = fc
  .tuple(
    fc.bigInt({ min: 0n, max: 10n ** 30n }),
    fc.option(fc.stringMatching(/^[0-9]{1,8}$/), { nil: undefined }),
  )
  .map(([whole, fraction]) => (fraction === undefined ? whole.toString() : `${whole}.${fraction}`));

describe("money and numbers", () => {
  it("1 money: groups thousands exactly, no floats (IRR in the billions)", () => {
    expect(formatMoney("4918911334", "IRR", "en")).toBe("4,918,911,334");
    expect(formatMoney("123456789012345678901234567890.12345678", "GBP", "en")).toBe(
      "123,456,789,012,345,678,901,234,567,890.12345678",
    );
    expect(formatMoney("0", "GBP", "en")).toBe("0.00");
    expect(formatMoney("10.11", "GBP", "en")).toBe("10.11");
  });

  it("1 money: pads to the currency's minor digits and never rounds", () => {
    expect(currencyMinorDigits("GBP")).toBe(2);
    expect(currencyMinorDigits("IRR")).toBe(0);
    expect(formatMoney("3.3", "GBP", "en")).toBe("3.30");
    expect(formatMoney("1.23456789", "GBP", "en")).toBe("1.23456789");
    expect(formatMoney("37040", "IRR", "en")).toBe("37,040");
    expect(formatMoney("0.5", "IRR", "en")).toBe("0.5");
  });

  it("shows text that is not a plain decimal as given (the caller escapes it)", () => {
    expect(formatMoney("1e9", "GBP", "en")).toBe("1e9");
    expect(formatMoney("<b>", "GBP", "en")).toBe("<b>");
    expect(formatDecimalString("01", "en")).toBeNull();
  });

  it("fa: Persian digits with the Arabic thousands and decimal separators", () => {
    expect(formatMoney("4918911334", "IRR", "fa")).toBe("۴٬۹۱۸٬۹۱۱٬۳۳۴");
    expect(formatMoney("10.11", "GBP", "fa")).toBe("۱۰٫۱۱");
    expect(formatInteger(-130000, "fa")).toBe("\u200e−۱۳۰٬۰۰۰");
    expect(toPersianDigits("member-17850")).toBe("member-۱۷۸۵۰");
  });

  it("grouping is exact: removing the separators gives the input back (property)", () => {
    fc.assert(
      fc.property(plainDecimal, (d) => {
        expect(formatDecimalString(d, "en")?.replaceAll(",", "")).toBe(d);
        const fa = formatDecimalString(d, "fa") ?? "";
        const back = fa
          .replaceAll("٬", "")
          .replaceAll("٫", ".")
          .replace(/[۰-۹]/g, (c) => String("۰۱۲۳۴۵۶۷۸۹".indexOf(c)));
        expect(back).toBe(d);
      }),
    );
  });

  it("formats points, percentages and compact axis labels", () => {
    expect(formatInteger(2510, "en")).toBe("2,510");
    expect(formatInteger(-130000, "en")).toBe("-130,000");
    expect(formatInteger(Number.NaN, "en")).toBe("—");
    expect(formatPercent(0.17928286852589642, "en")).toBe("17.9%");
    expect(formatPercent(-4.280540006585446, "en")).toBe("-428.1%");
    expect(formatPercent(-1e-9, "en")).toBe("0.0%");
    expect(formatPercent(0.4658654423238507, "fa")).toBe("۴۶٫۶٪");
    expect(formatCompact(2_500_000_000, "en")).toBe("2.5B");
    expect(formatCompact(800_000, "fa")).toBe("۸۰۰ هزار");
    expect(formatCompact(500, "en")).toBe("500");
  });
});

describe("escaping", () => {
  it("escapes the five HTML-special characters", () => {
    expect(escapeHtml(`<script>alert("x" & 'y')</script>`)).toBe(
      "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;",
    );
  });

  it("leaves no markup character in any string (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const out = escapeHtml(s);
        expect(out).not.toMatch(/[<>"']/);
        const back = out
          .replaceAll("&lt;", "<")
          .replaceAll("&gt;", ">")
          .replaceAll("&quot;", '"')
          .replaceAll("&#39;", "'")
          .replaceAll("&amp;", "&");
        expect(back).toBe(s);
      }),
    );
  });
});

describe("dates and months", () => {
  it("en: ISO/Gregorian in UTC; the Jalali date is added for a jalali program", () => {
    expect(formatInstant("2011-05-15T00:00:00.000Z", "en", "gregorian")).toBe("2011-05-15 00:00 UTC");
    expect(formatInstant("2012-04-01T00:00:00.000Z", "en", "jalali")).toBe(
      "2012-04-01 00:00 UTC (13 Farvardin 1391)",
    );
    expect(formatInstant("not a time", "en", "gregorian")).toBe("not a time");
  });

  it("1 calendars: fa dates are Jalali with Persian digits (1 Farvardin 1391 = 2012-03-20)", () => {
    expect(jalaliDate("2012-03-20T00:00:00.000Z", "fa")).toBe("۱ فروردین ۱۳۹۱");
    expect(jalaliDate("2012-03-19T23:59:59.999Z", "fa")).toBe("۲۹ اسفند ۱۳۹۰");
    expect(formatInstant("2012-04-01T00:00:00.000Z", "fa", "gregorian")).toBe("۱۳ فروردین ۱۳۹۱، ۰۰:۰۰ (UTC)");
  });

  it("1 calendars: results do not depend on the process time zone", () => {
    // Node applies a TZ assigned at run time to Date; the offsets prove the zone really changed.
    const saved = process.env.TZ;
    const run = (tz: string) => {
      process.env.TZ = tz;
      return {
        offset: new Date(Date.UTC(2012, 2, 20)).getTimezoneOffset(),
        out: [
          formatInstant("2012-03-20T00:00:00.000Z", "fa", "jalali"),
          jalaliDate("2012-03-19T23:30:00.000Z", "en"),
          formatInstant("2011-01-01T00:00:00Z", "en", "jalali"),
          formatMonth("1390-12", "jalali", "fa"),
        ],
      };
    };
    try {
      const tehran = run("Asia/Tehran");
      const la = run("America/Los_Angeles");
      const kiritimati = run("Pacific/Kiritimati");
      expect(new Set([tehran.offset, la.offset, kiritimati.offset]).size).toBe(3);
      expect(la.out).toEqual(tehran.out);
      expect(kiritimati.out).toEqual(tehran.out);
      expect(tehran.out).toEqual([
        "۱ فروردین ۱۳۹۱، ۰۰:۰۰ (UTC)",
        "29 Esfand 1390",
        "2011-01-01 00:00 UTC (11 Dey 1389)",
        "اسفند ۱۳۹۰",
      ]);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("labels months in their calendar and language", () => {
    expect(formatMonth("2011-03", "gregorian", "en")).toBe("Mar 2011");
    expect(formatMonth("2011-03", "gregorian", "fa")).toBe("مارس ۲۰۱۱");
    expect(formatMonth("1390-12", "jalali", "en")).toBe("Esfand 1390");
    expect(formatMonth("1391-01", "jalali", "fa")).toBe("فروردین ۱۳۹۱");
    expect(formatMonth("1391-13", "jalali", "fa")).toBe("1391-13");
  });
});
