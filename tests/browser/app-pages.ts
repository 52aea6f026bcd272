// Helpers for the browser tests of the logged-in pages (login, the contractor's form, the desk):
// driving the pages as a person would, and reading what the platform mailed.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { Bindings } from "../../edge/env.ts";
import { secretFromBase32, timeStep, totpCode } from "../../edge/security/totp.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** A fresh address per run: the Worker's database is shared by the browser and e2e files. */
export const uniqueEmail = (who: string): string => `${who}-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 6)}@example.jp`;

/** The agency's /verify/ page: a pair typed and sent; with JavaScript, waits for the certificate. */
export async function verifyOnPage(page: Page, base: string, number: string, key: string, agency?: string): Promise<void> {
  await page.goto(`${base}/verify/`);
  await page.getByLabel("保証契約番号").fill(number);
  await page.getByLabel("認証キー").fill(key);
  if (agency !== undefined) await page.getByLabel("発注者名（任意）").fill(agency);
  await page.getByRole("button", { name: "確認する" }).click();
  await page.waitForLoadState();
}

export async function login(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login/`);
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(password);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL((url) => url.pathname !== "/login/");
}

/** The text of an input's error (the element aria-describedby names, id …-error). */
export async function fieldError(page: Page, inputId: string): Promise<string> {
  return ((await page.locator(`#${inputId}-error`).textContent()) ?? "").trim();
}

/** A staff account made as the operator makes one (npm run cli -- staff create), on the test database. */
export function createStaff(dbFile: string, email: string, password: string, options: { requireTotp: boolean }): Promise<void> {
  const args = [
    "scripts/cli.ts",
    "staff",
    "create",
    "--email",
    email,
    "--password",
    password,
    "--guarantor",
    "wjcs",
    "--branch",
    "wjcs-kagoshima",
  ];
  if (options.requireTotp) args.push("--require-totp");
  args.push("--url", `file:${dbFile}`);
  const { DATABASE_URL: _url, DATABASE_AUTH_TOKEN: _token, ...env } = process.env;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: root, env, timeout: 60_000 }, (error, _stdout, stderr) =>
      error === null ? resolve() : reject(new Error(`staff create failed: ${stderr}`)),
    );
  });
}

/** The authenticator app: the code of `secret` (base32, as the enrolment page shows it) at `step`. */
export const totpAt = (secret: string, step: number): string => totpCode(secretFromBase32(secret), step);
export const currentStep = (): number => timeStep(new Date());

interface Mail {
  to: string;
  subject: string;
  text: string;
  links: string[];
  status: string;
}

/** The newest mail to `to` (GET /api/v1/dev/outbox, outside production only). */
export async function mailTo(base: string, to: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const res = await fetch(`${base}/api/v1/dev/outbox`);
        const { items } = (await res.json()) as { items: Mail[] };
        found = items.find((m) => m.to === to);
        return found !== undefined;
      },
      { timeout: 10_000 },
    )
    .toBe(true);
  if (found === undefined) throw new Error(`no mail to ${to}`);
  return found;
}

/** The local Worker's environment as far as link signing needs it (its data key beside the database). */
export const workerEnv = (dbFile: string): Bindings =>
  ({
    APP_ENV: "development",
    DATABASE_URL: "http://127.0.0.1",
    DATA_ENCRYPTION_KEY: readFileSync(`${dbFile}.data-key`, "utf8").trim(),
  }) as Bindings;

/** The directives of a Content-Security-Policy, by name. */
export function directives(csp: string): Map<string, string> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim())
      .filter((d) => d !== "")
      .map((d) => {
        const [name = "", ...values] = d.split(/\s+/);
        return [name, values.join(" ")];
      }),
  );
}
