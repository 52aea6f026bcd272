// `npm run cli -- <command> [options]`: the operator's command line.
//
// Every command acts on one database: `--url`, else DATABASE_URL, else the file `npm start`
// serves (.local/dev.db; safe while it runs: SQLite locks, the CLI waits for the server's writes).
// The token comes from `--auth-token` or DATABASE_AUTH_TOKEN and is never printed.
//
// To add a command, add one entry to `commands` below: its words, a Japanese summary, its
// options (node:util parseArgs) and what it runs. Usage text and option errors follow from that.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_URL = `file:${root}.local/dev.db`;
const PROGRAM = "npm run cli --";

/** The database layer, loaded only by commands that use it: help and usage errors stay instant. */
const database = () => import("../db/node.ts");
/** What `staff create` and `audit verify` share with the Worker (rules, hashing, the audit chain), loaded likewise. */
const accountsLayer = async () => {
  const [orm, schema, domain, password, audit, errors] = await Promise.all([
    import("drizzle-orm"),
    import("../db/schema/index.ts"),
    import("../edge/domain/accounts.ts"),
    import("../edge/security/password.ts"),
    import("../edge/services/audit.ts"),
    import("../edge/domain/errors.ts"),
  ]);
  return { orm, schema, domain, password, audit, errors };
};

/** A mistake in how the command was called: usage on stderr, exit code 2. */
class UsageError extends Error {
  readonly command: Command | undefined;
  constructor(message: string, command?: Command) {
    super(message);
    this.command = command;
  }
}

/** A failure with a message already written for the operator: exit code 1. */
class OperatorError extends Error {}

// --- the command table ---------------------------------------------------------------------------

type Values<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>
>["values"];

/** An option line for the usage text: synopsis, explanation, and whether it must be given. */
type HelpLine = readonly [synopsis: string, text: string, required?: "required"];

interface Command {
  words: readonly string[];
  summary: string;
  help: readonly HelpLine[];
  run(args: string[]): Promise<void>;
}

function command<const O extends ParseArgsOptionsConfig>(spec: {
  words: readonly string[];
  summary: string;
  options: O;
  help: readonly HelpLine[];
  /** Whether the command takes plain arguments besides its options. */
  positionals?: boolean;
  run(values: Values<O>, positionals: string[]): Promise<void>;
}): Command {
  const self: Command = {
    words: spec.words,
    summary: spec.summary,
    help: spec.help,
    async run(args) {
      let parsed: { values: Values<O>; positionals: string[] };
      try {
        parsed = parseArgs({ args, options: spec.options, strict: true, allowPositionals: spec.positionals ?? false });
      } catch (error) {
        throw new UsageError(optionErrorMessage(error), self);
      }
      await spec.run(parsed.values, parsed.positionals);
    },
  };
  return self;
}

/** Options every database command takes. */
const targetOptions = {
  url: { type: "string" },
  "auth-token": { type: "string" },
} as const satisfies ParseArgsOptionsConfig;

const targetHelp = [
  ["--url <URL>", `対象データベース（既定: 環境変数 DATABASE_URL、なければ ${DEFAULT_URL}）`],
  ["--auth-token <T>", "認証トークン（既定: 環境変数 DATABASE_AUTH_TOKEN。履歴に残らないよう環境変数を推奨）"],
] as const satisfies readonly HelpLine[];

/** Names the target database, then runs `work` on it with the database module loaded. */
async function onTarget<T>(
  values: Parameters<typeof resolveTarget>[0],
  work: (db: Awaited<ReturnType<typeof database>>, target: Target) => Promise<T>,
): Promise<T> {
  const target = resolveTarget(values);
  console.log(`対象: ${target.label}`);
  return onDatabase(target, async () => work(await database(), target));
}

/** NewPassword's length rule (edge/domain/accounts.ts, not loaded for help); the tests keep the two in step. */
const PASSWORD_RULE = "10〜128 文字";

const commands: Command[] = [
  command({
    words: ["db", "migrate"],
    summary: "db/migrations のマイグレーションをデータベースに適用します（適用済みのものは飛ばします）",
    options: targetOptions,
    help: targetHelp,
    async run(values) {
      const result = await onTarget(values, async (db, target) => db.migrateDatabase(target.url, target.authToken));
      if (result.applied === 0) console.log(`マイグレーションは最新です（適用済み ${result.recorded} 件）。`);
      else console.log(`マイグレーションを ${result.applied} 件適用しました（適用済み ${result.recorded} 件）。`);
      if (result.recorded < result.available) {
        console.log(`注意: db/migrations には ${result.available} 件あります。記録と一致しません。`);
      }
    },
  }),
  command({
    words: ["db", "seed"],
    summary: "参照データ（content/ の保証会社と支店）を投入・更新します（何度実行しても同じ結果）",
    options: targetOptions,
    help: targetHelp,
    async run(values) {
      const result = await onTarget(values, async (db, target) => db.seedDatabase(target.url, target.authToken));
      console.log(`参照データを投入しました（保証会社 ${result.guarantors} 社、支店 ${result.branches} 件）。`);
    },
  }),
  command({
    words: ["staff", "create"],
    summary: "保証会社の担当者（スタッフ）のアカウントを作成し、そのアカウント ID を最後の行に出力します",
    options: {
      email: { type: "string" },
      password: { type: "string" },
      guarantor: { type: "string" },
      branch: { type: "string" },
      "require-totp": { type: "boolean" },
      ...targetOptions,
    },
    help: [
      ["--email <E>", "ログインに使うメールアドレス（大文字・小文字は区別しません）", "required"],
      [
        "--password <P>",
        `初期パスワード（${PASSWORD_RULE}）。省略すると環境変数 STAFF_PASSWORD を使います（read -rs STAFF_PASSWORD で入力して export すれば、シェルの履歴に残りません。推奨）`,
      ],
      ["--guarantor <G>", "所属する保証会社の ID（content/guarantors.json の wjcs、ejcs、hkcs）", "required"],
      ["--branch <B>", "所属する支店の ID（任意。その保証会社の支店に限ります。例: wjcs-kagoshima）"],
      ["--require-totp", "初回ログイン時に二要素認証（TOTP）の登録を必須にします（省略時は登録するまでパスワードのみ）"],
      ...targetHelp,
    ],
    async run(values) {
      const password = values.password ?? (process.env["STAFF_PASSWORD"] === "" ? undefined : process.env["STAFF_PASSWORD"]);
      const missing = [
        values.email === undefined ? "--email" : undefined,
        password === undefined ? "--password（または環境変数 STAFF_PASSWORD）" : undefined,
        values.guarantor === undefined ? "--guarantor" : undefined,
      ].filter((m) => m !== undefined);
      if (missing.length > 0) throw new UsageError(`必須のオプションがありません: ${missing.join("、")}`, staffCreate());
      const created = await createStaff({
        email: values.email ?? "",
        password: password ?? "",
        guarantorId: (values.guarantor ?? "").trim().toLowerCase(),
        branchId: nonEmpty(values.branch)?.toLowerCase(),
        totpRequired: values["require-totp"] === true,
        target: values,
      });
      const where = [created.guarantorName, created.branchName].filter((n) => n !== null).join(" ");
      const totp = created.totpRequired ? "二要素認証は初回ログイン時に登録が必要" : "二要素認証は登録するまで不要";
      console.log(`スタッフアカウントを作成しました: ${created.email}（${where}、${totp}）。アカウント ID:`);
      // The last line is the id alone, for scripts: ID=$(npm run -s cli -- staff create … | tail -n 1)
      console.log(created.id);
    },
  }),
  command({
    words: ["audit", "verify"],
    summary: "監査ログのハッシュ連鎖を先頭から検証し、壊れていれば最初の不整合な記録を示します（読み取りのみ）",
    options: targetOptions,
    help: targetHelp,
    async run(values) {
      const result = await onTarget(values, async (db, target) => {
        const { audit } = await accountsLayer();
        const { client, db: orm } = db.connectNode(target.url, target.authToken);
        try {
          return await audit.verifyAudit(orm);
        } finally {
          client.close();
        }
      });
      if (result.firstBroken !== null) {
        const row = result.firstBroken;
        console.log(`正しく連鎖していた記録: ${result.entries} 件（うち未封印 ${result.unsealed} 件）`);
        throw new OperatorError(
          `監査ログの連鎖が壊れています。最初に一致しない記録: seq ${row.seq}（${row.at}、${row.action}）。` +
            "この記録が書き換えられたか、これより前の記録が削除・挿入・並べ替えられています。",
        );
      }
      console.log(`検証した記録: ${result.entries} 件（封印済み ${result.entries - result.unsealed} 件、未封印 ${result.unsealed} 件）`);
      if (result.unsealed > 0) {
        console.log(
          `未封印の記録が ${result.unsealed} 件あります（書き込み直後でまだ連鎖に加わっていない末尾の記録です。次の書き込みで封印されます）。`,
        );
      }
      console.log("監査ログの連鎖は正しく検証されました");
    },
  }),
  command({
    words: ["reports", "list"],
    summary: "発注者の情報の訂正・追加の報告（POST /api/v1/reports）を新しい順に表示します（既定は未対応のものだけ）",
    options: { all: { type: "boolean" }, ...targetOptions },
    help: [["--all", "対応済みの報告も表示します"], ...targetHelp],
    async run(values) {
      const listed = await listReports({ all: values.all === true, target: values });
      const open = listed.filter((r) => r.handledAt === null).length;
      console.log(
        values.all === true
          ? `報告 ${listed.length} 件（未対応 ${open} 件、対応済み ${listed.length - open} 件）、新しい順:`
          : `未対応の報告 ${listed.length} 件、新しい順:`,
      );
      for (const r of listed) console.log(`\n${r.text}`);
      if (listed.length > 0) console.log(`\n対応したら ${PROGRAM} reports done <受付番号> で対応済みにします。`);
    },
  }),
  command({
    words: ["reports", "done"],
    summary: "報告を対応済みにします（受付番号を指定。報告の内容は変わりません）",
    options: targetOptions,
    help: [["<受付番号>", "reports list に表示される10文字の受付番号", "required"], ...targetHelp],
    positionals: true,
    async run(values, positionals) {
      const [given, ...extra] = positionals;
      if (given === undefined) throw new UsageError("受付番号を指定してください", reportsDone());
      if (extra.length > 0) throw new UsageError(`余分な引数があります: ${extra.join(" ")}`, reportsDone());
      const id = given.trim().toUpperCase();
      const result = await markReportDone(id, values);
      if (result.kind === "missing")
        throw new OperatorError(`受付番号 ${id} の報告はありません（${PROGRAM} reports list --all で確かめてください）。`);
      if (result.kind === "already") console.log(`受付番号 ${id} は既に対応済みです（${japanTime(result.handledAt)}）。`);
      else console.log(`受付番号 ${id} を対応済みにしました（${japanTime(result.handledAt)}）。`);
    },
  }),
  command({
    words: ["help"],
    summary: "この説明を表示します（help <コマンド> でそのコマンドの説明）",
    options: {},
    help: [],
    positionals: true,
    async run(_values, positionals) {
      if (positionals.length === 0) {
        console.log(usage());
        return;
      }
      const found = findCommand(positionals);
      if (found === undefined || found.args.length > 0) throw new UsageError(`不明なコマンドです: ${positionals.join(" ")}`);
      console.log(commandUsage(found.command));
    },
  }),
];

/** The `staff create` entry, for usage errors raised outside parseArgs. */
function staffCreate(): Command | undefined {
  return commands.find((c) => c.words.join(" ") === "staff create");
}

/** The `reports done` entry, for usage errors raised outside parseArgs. */
function reportsDone(): Command | undefined {
  return commands.find((c) => c.words.join(" ") === "reports done");
}

// --- reports ---------------------------------------------------------------------------------------

/** An instant as the operator reads it: 2026-12-02 12:04（日本時間）. */
function japanTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Asia/Tokyo",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
  return `${parts}（日本時間）`;
}

/** The data key that opens reports' contacts: DATA_ENCRYPTION_KEY, else the one `npm start` keeps beside a database file. */
function reportKeyText(target: Target): string | undefined {
  const fromEnv = nonEmpty(process.env["DATA_ENCRYPTION_KEY"]);
  if (fromEnv !== undefined) return fromEnv;
  const file = filePath(target.url);
  if (file === undefined) return undefined;
  const beside = `${file.path}.data-key`;
  return existsSync(beside) ? nonEmpty(readFileSync(beside, "utf8")) : undefined;
}

interface ListedReport {
  id: string;
  handledAt: string | null;
  /** The block printed for it. */
  text: string;
}

/** The reports, newest first (open ones only unless `all`), each as the block the operator reads. */
async function listReports(input: { all: boolean; target: Parameters<typeof resolveTarget>[0] }): Promise<ListedReport[]> {
  const [orm, schema, report, secretBox, catalogue, reportService] = await Promise.all([
    import("drizzle-orm"),
    import("../db/schema/index.ts"),
    import("../edge/domain/report.ts"),
    import("../edge/security/secret-box.ts"),
    import("../edge/services/catalogue.ts"),
    import("../edge/services/reports.ts"),
  ]);
  return onTarget(input.target, async (db, target) => {
    const { client, db: conn } = db.connectNode(target.url, target.authToken);
    try {
      const { reports } = schema;
      const rows = await conn
        .select()
        .from(reports)
        .where(input.all ? undefined : orm.isNull(reports.handledAt))
        .orderBy(orm.desc(reports.receivedAt), orm.desc(reports.id));
      const keyText = rows.some((r) => r.contactBox !== null) ? reportKeyText(target) : undefined;
      let key: CryptoKey | undefined;
      if (keyText !== undefined) {
        try {
          key = await secretBox.importDataKey(keyText);
        } catch {
          key = undefined;
        }
      }
      const agencies = catalogue.catalogue().byId;
      // Whatever is in the table is shown as text: controls (terminal escapes) never reach the terminal.
      const safe = (text: string, multiline = false) => report.cleanText(text, multiline);
      const listed: ListedReport[] = [];
      for (const r of rows) {
        const agency = agencies.get(r.agencyId);
        let contact = "（なし）";
        if (r.contactBox !== null) {
          if (key === undefined) contact = "（暗号化されています。DATA_ENCRYPTION_KEY を指定すると表示します）";
          else {
            try {
              contact = safe(new TextDecoder().decode(await secretBox.open(key, r.contactBox, reportService.contactContext(r.id))));
            } catch {
              contact = "（開けません。DATA_ENCRYPTION_KEY がこのデータベースの鍵と違います）";
            }
          }
        }
        const message = safe(r.message, true).split("\n").join("\n          ");
        const lines = [
          `受付番号: ${safe(r.id)}  受付: ${japanTime(r.receivedAt)}  ${r.handledAt === null ? "未対応" : `対応済み（${japanTime(r.handledAt)}）`}`,
          `発注者:   ${safe(r.agencyId)} ${agency === undefined ? "（現在のデータにない ID）" : report.agencyLabel(agency)}`,
          `内容:     ${message}`,
          `出典:     ${r.sourceUrl === null ? "（なし）" : safe(r.sourceUrl)}`,
          `連絡先:   ${contact}`,
        ];
        listed.push({ id: r.id, handledAt: r.handledAt, text: lines.join("\n") });
      }
      return listed;
    } finally {
      client.close();
    }
  });
}

/** Set a report's handled_at once (the table's trigger refuses any other change). */
async function markReportDone(
  id: string,
  values: Parameters<typeof resolveTarget>[0],
): Promise<{ kind: "done" | "already"; handledAt: string } | { kind: "missing" }> {
  const [orm, schema] = await Promise.all([import("drizzle-orm"), import("../db/schema/index.ts")]);
  return onTarget(values, async (db, target) => {
    const { client, db: conn } = db.connectNode(target.url, target.authToken);
    try {
      const { reports } = schema;
      const now = new Date().toISOString();
      const updated = await conn
        .update(reports)
        .set({ handledAt: now })
        .where(orm.and(orm.eq(reports.id, id), orm.isNull(reports.handledAt)))
        .returning({ handledAt: reports.handledAt });
      if (updated.length === 1) return { kind: "done", handledAt: now };
      const [row] = await conn.select({ handledAt: reports.handledAt }).from(reports).where(orm.eq(reports.id, id));
      if (row === undefined) return { kind: "missing" };
      return { kind: "already", handledAt: row.handledAt ?? now };
    } finally {
      client.close();
    }
  });
}

// --- staff accounts ----------------------------------------------------------------------------------

interface NewStaff {
  email: string;
  password: string;
  guarantorId: string;
  branchId: string | undefined;
  totpRequired: boolean;
  target: Parameters<typeof resolveTarget>[0];
}

/**
 * Check the input with the registration form's rules, check the guarantor and branch against the
 * target database, then write the user and its audit entry in one batch and seal the chain.
 */
async function createStaff(input: NewStaff) {
  const { orm, schema, domain, password, audit, errors } = await accountsLayer();
  const parsed = domain.Email.safeParse(input.email);
  const passwordCheck = domain.NewPassword.safeParse(input.password);
  const problems = [...(parsed.error?.issues ?? []), ...(passwordCheck.error?.issues ?? [])].map((i) => i.message);
  if (problems.length > 0 || !parsed.success) throw new OperatorError(`入力内容に誤りがあります: ${problems.join("。")}`);
  const email = parsed.data;

  return onTarget(input.target, async (db, target) => {
    const { client, db: conn } = db.connectNode(target.url, target.authToken);
    try {
      const { guarantors, branches, users } = schema;
      const known = await conn.select({ id: guarantors.id, name: guarantors.name }).from(guarantors).orderBy(guarantors.id);
      if (known.length === 0) {
        throw new OperatorError(`保証会社が登録されていません。先に ${PROGRAM} db seed を実行してください（${target.label}）。`);
      }
      const guarantor = known.find((g) => g.id === input.guarantorId);
      if (guarantor === undefined) {
        throw new OperatorError(`保証会社が見つかりません: ${input.guarantorId}（指定できるのは ${known.map((g) => g.id).join("、")}）`);
      }
      let branchName: string | null = null;
      if (input.branchId !== undefined) {
        const [branch] = await conn.select().from(branches).where(orm.eq(branches.id, input.branchId));
        if (branch === undefined || branch.guarantorId !== guarantor.id) {
          const own = await conn.select({ id: branches.id }).from(branches).where(orm.eq(branches.guarantorId, guarantor.id));
          const choices =
            own.length === 0
              ? `${guarantor.id} には支店が登録されていません`
              : `${guarantor.id} の支店: ${own.map((b) => b.id).join("、")}`;
          throw new OperatorError(
            branch === undefined
              ? `支店が見つかりません: ${input.branchId}（${choices}）`
              : `支店 ${input.branchId} は ${branch.guarantorId} の支店で、${guarantor.id}（${guarantor.name}）の支店ではありません（${choices}）`,
          );
        }
        branchName = branch.name;
      }
      const taken = `このメールアドレスは既に使われています: ${email}`;
      const [existing] = await conn.select({ id: users.id }).from(users).where(orm.sql`lower(${users.email}) = ${email}`);
      if (existing !== undefined) throw new OperatorError(taken);

      let passwordHash: string;
      try {
        passwordHash = await password.hashPassword(input.password);
      } catch (error) {
        if (error instanceof errors.Invalid)
          throw new OperatorError(`入力内容に誤りがあります: ${(error.errors ?? []).map((e) => e.message).join("。")}`);
        throw error;
      }
      const id = crypto.randomUUID();
      const now = new Date();
      try {
        await conn.batch([
          conn.insert(users).values({
            id,
            email,
            passwordHash,
            role: "staff",
            guarantorId: guarantor.id,
            branchId: input.branchId ?? null,
            totpRequired: input.totpRequired,
            createdAt: now.toISOString(),
          }),
          audit.appendAudit(conn, {
            at: now,
            actor: "system",
            action: "staff.created",
            subject: id,
            detail: { via: "cli", email, guarantor: guarantor.id, branch: input.branchId ?? null, totpRequired: input.totpRequired },
          }),
        ]);
      } catch (error) {
        // Someone took the address between the check and the write: the unique index decides.
        if (causes(error).messages.some((m) => m.includes("UNIQUE constraint failed: users.email"))) throw new OperatorError(taken);
        throw error;
      }
      await audit.sealAudit(conn);
      return { id, email, guarantorName: guarantor.name, branchName, totpRequired: input.totpRequired };
    } finally {
      client.close();
    }
  });
}

// --- usage -----------------------------------------------------------------------------------------

function usage(): string {
  const width = Math.max(...commands.map((c) => c.words.join(" ").length));
  const lines = commands.map((c) => `  ${c.words.join(" ").padEnd(width)}  ${c.summary}`);
  return [
    `使い方: ${PROGRAM} <コマンド> [オプション]`,
    "",
    "コマンド:",
    ...lines,
    "",
    `各コマンドのオプションは ${PROGRAM} <コマンド> --help で表示します。`,
  ].join("\n");
}

function commandUsage(c: Command): string {
  const width = Math.max(0, ...c.help.map(([synopsis]) => synopsis.length));
  const synopsis = c.help.map(([s, , required]) => (required ? ` ${s}` : ` [${s}]`)).join("");
  return [
    `使い方: ${PROGRAM} ${c.words.join(" ")}${synopsis}`,
    "",
    c.summary,
    ...(c.help.length > 0 ? ["", "オプション:", ...c.help.map(([s, text]) => `  ${s.padEnd(width)}  ${text}`)] : []),
  ].join("\n");
}

function optionErrorMessage(error: unknown): string {
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  // parseArgs' messages name the option in quotes: keep that part, in a Japanese sentence.
  const option = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `不明なオプションです: ${option ?? message}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return `オプションの値が正しくありません: ${option ?? message}（値が必要なオプションには値を指定してください）`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `余分な引数があります: ${option ?? message}`;
    default:
      return `引数が正しくありません: ${message}`;
  }
}

// --- the target database ---------------------------------------------------------------------------

interface Target {
  url: string;
  authToken?: string;
  /** The URL as shown to the operator: secrets in it are masked. */
  label: string;
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value.trim() === "" ? undefined : value.trim());

function resolveTarget(values: { url?: string | undefined; "auth-token"?: string | undefined }): Target {
  const given = nonEmpty(values.url) ?? nonEmpty(process.env["DATABASE_URL"]);
  let url = given ?? DEFAULT_URL;
  const authToken = nonEmpty(values["auth-token"]) ?? nonEmpty(process.env["DATABASE_AUTH_TOKEN"]);
  if (!/^(file|https?|libsql|wss?):/i.test(url)) {
    throw new UsageError(`データベースの URL が正しくありません: ${maskUrl(url)}（file:、http(s)://、libsql:// のいずれか）`);
  }
  const file = filePath(url);
  if (file !== undefined) {
    // A relative path is the repository's (npm runs scripts there), so `file:.local/dev.db` is
    // the file `npm start` serves. Only the default's folder is created on first use, as
    // `npm start` does: a mistyped --url must not quietly make a fresh, empty database elsewhere.
    const absolute = resolve(root, file.path);
    url = `file:${absolute}${file.rest}`;
    if (given !== undefined && !existsSync(dirname(absolute))) {
      throw new OperatorError(`フォルダーがありません: ${dirname(absolute)}（URL を確かめてください）`);
    }
    try {
      makeDirectories(dirname(absolute));
    } catch (error) {
      throw new OperatorError(
        `フォルダーを作成できません: ${dirname(absolute)}（${error instanceof Error ? error.message : String(error)}）`,
      );
    }
  }
  const target: Target = { url, label: maskUrl(url) };
  if (authToken !== undefined) target.authToken = authToken;
  return target;
}

/** `mkdir -p`, one level at a time: Node's recursive mkdir spins forever under e.g. /proc. */
function makeDirectories(directory: string): void {
  if (existsSync(directory)) return;
  const parent = dirname(directory);
  if (parent !== directory) makeDirectories(parent);
  mkdirSync(directory);
}

/** The path of a file: URL as @libsql/client reads it (`file:rel`, `file:/abs`, `file:///abs`), and what follows it. */
function filePath(url: string): { path: string; rest: string } | undefined {
  const match = /^file:(?:\/\/(?=\/))?([^?#]*)/i.exec(url);
  const path = match?.[1];
  if (match === null || path === undefined || path === "" || path === ":memory:") return undefined;
  return { path, rest: url.slice(match[0].length) };
}

/** Hide credentials a URL may carry (`?authToken=…`, `user:password@`). */
function maskUrl(url: string): string {
  return url.replace(/([?&]authToken=)[^&#]*/gi, "$1***").replace(/^([a-z]+:\/\/)[^/@]*@/i, "$1***@");
}

// --- errors from the database, for the operator ----------------------------------------------------

/** Run `work` on the target; turn whatever the driver throws into one Japanese sentence. */
async function onDatabase<T>(target: Target, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OperatorError) throw error;
    throw new OperatorError(describeDatabaseError(error, target));
  }
}

/** The messages and codes along an error's `cause` chain (drizzle → libsql → fetch → socket). */
function causes(error: unknown): { messages: string[]; codes: string[] } {
  const messages: string[] = [];
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) messages.push(current.message);
    else messages.push(String(current));
    if (typeof current === "object" && "code" in current && typeof current.code === "string") codes.push(current.code);
    current = typeof current === "object" && "cause" in current ? current.cause : undefined;
  }
  return { messages, codes };
}

function describeDatabaseError(error: unknown, target: Target): string {
  const { messages, codes } = causes(error);
  const all = messages.join("\n");
  const has = (pattern: RegExp) => pattern.test(all) || codes.some((c) => pattern.test(c));
  // The deepest message in the chain (the socket's or SQLite's, not drizzle's "Failed query: …").
  const detail = messages.findLast((m) => !m.startsWith("Failed query")) ?? messages[0] ?? "";
  const where = target.label;
  let message: string;
  if (has(/no such table/i)) {
    message = `テーブルがありません。先に ${PROGRAM} db migrate を実行してください（${where}）。`;
  } else if (has(/HTTP status 40[13]|UNAUTHORIZED|unauthori[sz]ed|\bJWT\b/i)) {
    message = `データベースに認証されませんでした（${where}）。DATABASE_AUTH_TOKEN または --auth-token を確認してください。`;
  } else if (has(/^bad port$/m)) {
    message = `データベースに接続できません（${where}）。このポートは fetch が使用を禁じているポートです。別のポートを指定してください。`;
  } else if (has(/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|fetch failed|WebSocket/i)) {
    message = `データベースに接続できません（${where}）。URL と、サーバーが起動しているかを確認してください。`;
  } else if (has(/URL_INVALID|URL_SCHEME_NOT_SUPPORTED|URL_PARAM_NOT_SUPPORTED|Invalid URL/i)) {
    message = `データベースの URL が正しくありません（${where}）。`;
  } else if (has(/SQLITE_BUSY|database is locked/i)) {
    message = `データベースが使用中です（${where}）。少し待ってから再実行してください。`;
  } else if (has(/SQLITE_CANTOPEN|Unable to open connection|unable to open database/i)) {
    message = `データベースファイルを開けません（${where}）。パスと権限を確認してください。`;
  } else {
    message = `データベースの操作に失敗しました（${where}）。`;
  }
  return `${message}\n詳細: ${firstLine(detail)}`;
}

const firstLine = (text: string) => text.split("\n")[0] ?? "";

// --- main ------------------------------------------------------------------------------------------

function findCommand(argv: string[]): { command: Command; args: string[] } | undefined {
  const matches = commands.filter((c) => c.words.every((word, i) => argv[i] === word));
  const longest = matches.sort((a, b) => b.words.length - a.words.length)[0];
  return longest === undefined ? undefined : { command: longest, args: argv.slice(longest.words.length) };
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0) throw new UsageError("コマンドを指定してください。");
  if (argv[0] === "--help" || argv[0] === "-h") {
    console.log(usage());
    return 0;
  }
  const found = findCommand(argv);
  if (found === undefined) {
    // Name the words that were meant as the command, not the option values after them.
    const firstOption = argv.findIndex((a) => a.startsWith("-"));
    const words = argv.slice(0, firstOption < 0 ? argv.length : Math.max(1, firstOption));
    throw new UsageError(`不明なコマンドです: ${words.join(" ")}`);
  }
  if (found.args.includes("--help") || found.args.includes("-h")) {
    console.log(commandUsage(found.command));
    return 0;
  }
  await found.command.run(found.args);
  return 0;
}

/** The value given to `--name` on the command line (`--name V` or `--name=V`), if any. */
function flagValue(name: string): string | undefined {
  const index = process.argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  const arg = index < 0 ? undefined : process.argv[index];
  return arg === undefined ? undefined : arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : process.argv[index + 1];
}

/** Never let a secret (database token, staff password) reach the terminal, whatever the message. */
function redact(text: string): string {
  const secrets = [process.env["DATABASE_AUTH_TOKEN"], flagValue("--auth-token"), process.env["STAFF_PASSWORD"], flagValue("--password")];
  let out = text;
  for (const secret of secrets.map(nonEmpty)) if (secret !== undefined && secret.length >= 4) out = out.split(secret).join("***");
  return out;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(redact(`エラー: ${error.message}\n\n${error.command === undefined ? usage() : commandUsage(error.command)}`));
    process.exitCode = 2;
  } else if (error instanceof OperatorError) {
    console.error(redact(`エラー: ${error.message}`));
    process.exitCode = 1;
  } else {
    // A bug rather than an operator's mistake: still one line, no stack trace.
    console.error(redact(`エラー: 予期しない失敗です: ${error instanceof Error ? error.message : String(error)}`));
    process.exitCode = 1;
  }
}
