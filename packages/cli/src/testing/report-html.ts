/** Reading the report's HTML in tests: visible text, one section, tags the renderer never writes. */

/** Text a reader sees: no style, no tags, entities decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, "")
    .replace(/<title>[\s\S]*?<\/title>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

export function section(html: string, id: string): string {
  const match = new RegExp(`<section id="${id}"[\\s\\S]*?</section>`).exec(html);
  return match?.[0] ?? "";
}

/** Tags in the markup that the renderer does not write itself (injected markup). */
export function foreignTags(html: string): string[] {
  const tags = new Set([...html.matchAll(/<([A-Za-z][\w-]*)/g)].map((m) => m[1] ?? ""));
  return [...tags].filter((tag) => !OWN_TAGS.has(tag));
}

/** Every tag the renderer itself writes; anything else would be injected markup. */
const OWN_TAGS = new Set(
  (
    "html head meta title style body main header footer section nav ol li a p h1 h2 h3 span strong b bdi code time dl dt dd div " +
    "figure figcaption br table thead tbody tr th td svg g rect line path circle text tspan defs linearGradient stop"
  ).split(" "),
);
