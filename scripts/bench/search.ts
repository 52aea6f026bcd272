// Per-keystroke search time over every agency, with the same function the pages and API use.
// Usage: npm run bench:search

import { indexDocs, searchIndex } from "../../edge/domain/search.ts";
import { catalogue } from "../../edge/services/catalogue.ts";

const { agencies } = catalogue();
const t0 = performance.now();
const index = indexDocs(agencies);
const indexMs = performance.now() - t0;
const typed = ["ひおき", "ヒオキ", "ﾋｵｷ", "hioki", "kagoshima", "島根県", "こくどこうつう", "tokyo", "ゆりほんじょう"];
const keystrokes = typed.flatMap((word) => [...word].map((_, i) => word.slice(0, i + 1)));
for (const q of keystrokes) searchIndex(index, q); // warm up
const times: number[] = [];
for (let round = 0; round < 50; round++) {
  for (const q of keystrokes) {
    const start = performance.now();
    searchIndex(index, q, 50);
    times.push(performance.now() - start);
  }
}
times.sort((a, b) => a - b);
const at = (p: number) => (times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? 0).toFixed(3);
console.log(`agencies indexed: ${agencies.length} in ${indexMs.toFixed(1)} ms`);
console.log(`keystroke search (${times.length} runs): median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms; target ≤ 5 ms`);
