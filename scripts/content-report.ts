// `npm run content:report [-- --since REF] [--out FILE] [--today YYYY-MM-DD]`: what changed in
// content/ since REF, as Markdown for the operator to review (scripts/content-report-lib.ts).
//
// Before: content/ at REF (`git show REF:content/x.json`); REF defaults to the newest tag
// content-*, else origin/main, else HEAD. After: content/ in the working tree. The new content is
// also checked as `npm run content:check` does: its problems are printed first and the exit code is
// 1 (the report is still written). Usage errors exit 2.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CONTENT_FILES, type ContentFiles, checkContent } from "../edge/domain/content-check.ts";
import { todayInJapan } from "../edge/domain/era.ts";
import { compareContent, headline, renderContentReport, SNAPSHOT_FILES, snapshotFrom } from "./content-report-lib.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const CHECKED: readonly (keyof ContentFiles)[] = CONTENT_FILES;

function usage(message: string): never {
  console.error(`${message}\nusage: npm run content:report -- [--since REF] [--out FILE] [--today YYYY-MM-DD]`);
  process.exit(2);
}

const git = (...args: string[]): string =>
  execFileSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
const gitOk = (...args: string[]): boolean => {
  try {
    git(...args);
    return true;
  } catch {
    return false;
  }
};

/** The newest content-* tag, else origin/main, else HEAD. */
function defaultRef(): string {
  const tags = git("tag", "--list", "content-*", "--sort=-v:refname").split("\n").filter(Boolean);
  if (tags[0] !== undefined) return tags[0];
  if (gitOk("rev-parse", "--verify", "--quiet", "origin/main^{commit}")) return "origin/main";
  return "HEAD";
}

let values: { since?: string | undefined; out?: string | undefined; today?: string | undefined; help?: boolean | undefined };
try {
  ({ values } = parseArgs({
    options: { since: { type: "string" }, out: { type: "string" }, today: { type: "string" }, help: { type: "boolean", short: "h" } },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
if (values.help === true) {
  console.log("usage: npm run content:report -- [--since REF] [--out FILE] [--today YYYY-MM-DD]");
  process.exit(0);
}
const today = values.today ?? todayInJapan();
if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(today))) usage(`--today must be YYYY-MM-DD, not ${today}`);
const since = values.since ?? defaultRef();
if (!gitOk("rev-parse", "--verify", "--quiet", `${since}^{commit}`)) usage(`no commit named ${since}`);
const sinceCommit = git("log", "-1", "--format=%h, %cs", `${since}^{commit}`).trim();

// Before: each file at the ref; a file that did not exist then (searches.json) is an empty list.
const oldFiles: Record<string, unknown> = {};
for (const name of SNAPSHOT_FILES) {
  const path = `${since}:content/${name}`;
  oldFiles[name] = gitOk("cat-file", "-e", path) ? JSON.parse(git("show", path)) : [];
}

// After: the working tree, checked like content:check.
const newFiles: Record<string, unknown> = {};
const problems: string[] = [];
for (const name of CHECKED) {
  try {
    newFiles[name] = JSON.parse(readFileSync(resolve(root, "content", name), "utf8"));
  } catch (error) {
    problems.push(`${name}: cannot read or parse JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
problems.push(...checkContent(newFiles as unknown as ContentFiles, today).problems);
if (problems.length > 0) {
  console.error(`content:check: ${problems.length} problem(s) in the working tree's content/:`);
  for (const p of problems) console.error(`  - ${p}`);
  console.error("");
}

const head = git("log", "-1", "--format=%h", "HEAD").trim();
const dirty = git("status", "--porcelain", "--", ...SNAPSHOT_FILES.map((f) => `content/${f}`)).trim() !== "";
const diff = compareContent(snapshotFrom(oldFiles), snapshotFrom(newFiles), today);
const command = ["npm run content:report --", `--since ${since}`, ...(values.today === undefined ? [] : [`--today ${today}`])].join(" ");
const markdown = renderContentReport(diff, {
  since,
  sinceCommit,
  now: `the working tree (HEAD ${head}${dirty ? " with uncommitted changes in content/*.json" : ", content/ as committed"})`,
  command: values.out === undefined ? command : `${command} --out ${values.out}`,
});

if (values.out === undefined) process.stdout.write(markdown);
else {
  const file = resolve(process.cwd(), values.out);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, markdown);
  console.log(`content report since ${since} (${sinceCommit}) written to ${values.out}`);
  for (const line of headline(diff)) console.log(`  ${line}`);
}
process.exit(problems.length > 0 ? 1 : 0);
