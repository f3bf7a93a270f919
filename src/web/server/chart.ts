// A small chart drawn on the server as SVG (no script, no library): posts
// per day as bars, members at the end of each day as a line, each on its own
// scale. Colours come from the stylesheet, so it follows dark mode. The
// numbers are also in a table for readers who cannot see the chart.
import type { DayStats } from "../../community/stats.ts";
import { plural } from "../shared/format.ts";
import { html, type SafeHtml } from "../shared/html.ts";

const WIDTH = 600;
const HEIGHT = 160;
/** Room at the top and bottom for the scale labels. */
const PAD_TOP = 18;
const PAD_BOTTOM = 20;

/** The top of a scale: a round number at or above the largest value (at least 1). */
function scaleTop(max: number): number {
  if (max <= 5) return Math.max(1, max);
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / step) * step;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function activityChart(days: DayStats[]): SafeHtml {
  const plot = HEIGHT - PAD_TOP - PAD_BOTTOM;
  const slot = WIDTH / Math.max(1, days.length);
  const postsTop = scaleTop(Math.max(0, ...days.map((d) => d.posts)));
  const membersTop = scaleTop(Math.max(0, ...days.map((d) => d.members)));
  const y = (value: number, top: number) => round(PAD_TOP + plot - (value / top) * plot);
  const bars = days.map((d, i) => {
    const top = y(d.posts, postsTop);
    return html`<rect class="chart-bar" x="${round(i * slot + slot * 0.15)}" y="${top}" width="${round(slot * 0.7)}" height="${round(PAD_TOP + plot - top)}"></rect>`;
  });
  const line = days.map((d, i) => `${round(i * slot + slot / 2)},${y(d.members, membersTop)}`).join(" ");
  const first = days[0]?.day ?? "";
  const last = days[days.length - 1]?.day ?? "";
  const posts = days.reduce((sum, d) => sum + d.posts, 0);
  const members = days[days.length - 1]?.members ?? 0;
  const summary = `${plural(posts, "post")} in the last ${days.length} days; ${plural(members, "member")} now, ${plural(days[0]?.members ?? 0, "member")} on ${first}.`;
  return html`<figure class="chart">
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="chart-title chart-summary">
<title id="chart-title">Posts per day (bars) and members (line), ${first} to ${last}</title>
<line class="chart-axis" x1="0" y1="${PAD_TOP + plot}" x2="${WIDTH}" y2="${PAD_TOP + plot}"></line>
${bars}
<polyline class="chart-line" points="${line}"></polyline>
<text class="chart-label" x="2" y="12">${plural(postsTop, "post")} a day</text>
<text class="chart-label chart-label-members" x="${WIDTH - 2}" y="12" text-anchor="end">${plural(membersTop, "member")}</text>
<text class="chart-label" x="2" y="${HEIGHT - 4}">${first}</text>
<text class="chart-label" x="${WIDTH - 2}" y="${HEIGHT - 4}" text-anchor="end">${last}</text>
</svg>
<figcaption id="chart-summary">${summary}</figcaption>
</figure>
<details class="chart-data">
<summary>The numbers by day</summary>
<table>
<thead><tr><th scope="col">Day</th><th scope="col">Posts</th><th scope="col">Members</th></tr></thead>
<tbody>${days.map((d) => html`<tr><th scope="row">${d.day}</th><td>${d.posts}</td><td>${d.members}</td></tr>`)}</tbody>
</table>
</details>`;
}
