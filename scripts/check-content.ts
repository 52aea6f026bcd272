// Validates every fact file in content/ (see edge/domain/content-check.ts); exits 1 on a problem.
// Usage: npm run content:check
import { readFileSync } from "node:fs";
import { CONTENT_FILES, type ContentFiles, checkContent } from "../edge/domain/content-check.ts";

const names = CONTENT_FILES;
const files = {} as Record<(typeof names)[number], unknown>;
const unreadable: string[] = [];
for (const name of names) {
  try {
    files[name] = JSON.parse(readFileSync(new URL(`../content/${name}`, import.meta.url), "utf8"));
  } catch (error) {
    unreadable.push(`${name}: cannot read or parse JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
const { problems, counts } = checkContent(files satisfies ContentFiles);
problems.unshift(...unreadable);

console.log(`sources: ${counts.sources}`);
console.log(
  `agencies: ${counts.agencies} (${Object.entries(counts.kinds)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ")})`,
);
console.log(
  `adoptions: ${counts.adoptions} (without a start date: ${counts.undatedAdoptions}; not adopted: ${counts.notAdopted}); ` +
    `citations ${Object.entries(counts.certainty)
      .map(([c, n]) => `${c} ${n}`)
      .join(", ")}; searched without a source: ${counts.searches}`,
);
console.log(
  `branches: ${Object.entries(counts.branches)
    .map(([g, n]) => `${g} ${n}`)
    .join(", ")}`,
);
if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log("content OK");
