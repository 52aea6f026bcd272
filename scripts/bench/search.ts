// Per-keystroke search time over every agency, with the same function the pages and API use
// (searchOrSuggest: matches, or near spellings when nothing matches).
// Usage: npm run bench:search

import { indexDocs, searchOrSuggest } from "../../edge/domain/search.ts";
import { catalogue } from "../../edge/services/catalogue.ts";

const { agencies } = catalogue();
const t0 = performance.now();
const index = indexDocs(agencies);
const indexMs = performance.now() - t0;
// Words typed letter by letter: names, readings in every script, office names, brands and typos.
const typed = [
  "ひおき",
  "ヒオキ",
  "ﾋｵｷ",
  "hioki",
  "kagoshima",
  "島根県",
  "こくどこうつう",
  "tokyo",
  "ゆりほんじょう",
  "近畿地方整備局",
  "近畿地整",
  "ネクスコ",
  "ひおぎ",
  "hiokii",
  "鳥巣",
  "kagosimaa",
  "国土交通省近畿地方整備局長",
];
const keystrokes = typed.flatMap((word) => [...word].map((_, i) => word.slice(0, i + 1)));
for (let round = 0; round < 5; round++) for (const q of keystrokes) searchOrSuggest(index, q, 50); // warm up
const times: number[] = [];
const suggestedTimes: number[] = [];
// Wall time per keystroke, and the process's CPU time over all of them (less disturbed by other work on the machine).
const cpuBefore = process.cpuUsage();
for (let round = 0; round < 50; round++) {
  for (const q of keystrokes) {
    const start = performance.now();
    const { suggested } = searchOrSuggest(index, q, 50);
    const ms = performance.now() - start;
    times.push(ms);
    if (suggested) suggestedTimes.push(ms);
  }
}
const cpu = process.cpuUsage(cpuBefore);
const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0).toFixed(3);
  return `median ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`;
};
console.log(`agencies indexed: ${agencies.length} in ${indexMs.toFixed(1)} ms`);
console.log(`keystroke search (${times.length} runs of ${keystrokes.length} keystrokes): ${stats(times)}; target ≤ 5 ms`);
console.log(`  CPU time (user + system) per keystroke, mean: ${((cpu.user + cpu.system) / 1000 / times.length).toFixed(3)} ms`);
console.log(`  of which near-spelling suggestions (もしかして, ${suggestedTimes.length} runs): ${stats(suggestedTimes)}`);
