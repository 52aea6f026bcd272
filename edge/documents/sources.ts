// What the two PDFs print, read through the guarantee services (ownership, the visible history and
// the key work exactly as for the JSON calls) plus the one thing they lack: the issuing company's
// address. The contractor's session and the e-mailed link are the two ways in.
import { eq } from "drizzle-orm";
import { guarantors } from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";
import { todayInJapan } from "../domain/era.ts";
import { NotFound } from "../domain/errors.ts";
import { normalizeContractNumber } from "../domain/numbering.ts";
import { type GuaranteeView, getGuarantee, getGuaranteeWithKey, openLink } from "../services/guarantees.ts";
import type { CertificateInput } from "./certificate.ts";
import type { NoticeInput } from "./notice.ts";

async function issuerAddress(ctx: RequestContext, guarantorId: string): Promise<string | null> {
  const [row] = await ctx.db.select({ address: guarantors.address }).from(guarantors).where(eq(guarantors.id, guarantorId));
  return row?.address ?? null;
}

const noKey = () => new NotFound("この保証は証書（紙）で発行されたため、認証キー等のお知らせはありません", "no_auth_key");

function noticeOf(ctx: RequestContext, view: GuaranteeView, authKey: string): NoticeInput {
  return { certificate: view.certificate, authKey, issuedOn: todayInJapan(ctx.now()), origin: ctx.origin };
}

async function certificateOf(ctx: RequestContext, view: GuaranteeView): Promise<CertificateInput> {
  return {
    certificate: view.certificate,
    versions: view.versions,
    delivery: view.delivery,
    issuerAddress: await issuerAddress(ctx, view.certificate.guarantor.id),
  };
}

/** The logged-in contractor's own guarantee (another company's is 404, as for the JSON calls). */
export async function ownNotice(ctx: RequestContext, number: string): Promise<NoticeInput> {
  const { view, authKey } = await getGuaranteeWithKey({ ctx, number });
  if (view.delivery !== "electronic" || authKey === null) throw noKey();
  return noticeOf(ctx, view, authKey);
}

export async function ownCertificate(ctx: RequestContext, number: string): Promise<CertificateInput> {
  return certificateOf(ctx, await getGuarantee({ ctx, number }));
}

/** One guarantee of the application an e-mailed link opens (401/410 for a bad or expired link). */
async function linked(ctx: RequestContext, token: string, number: string) {
  const opened = await openLink({ ctx, token });
  const wanted = normalizeContractNumber(number);
  const found = opened.guarantees.find((g) => g.certificate.contractNumber === wanted);
  if (found === undefined) throw new NotFound("このリンクで開ける保証に、その保証契約番号はありません");
  return found;
}

export async function linkedNotice(ctx: RequestContext, token: string, number: string): Promise<NoticeInput> {
  const found = await linked(ctx, token, number);
  if (found.authKey === null) throw noKey();
  return noticeOf(ctx, found, found.authKey);
}

export async function linkedCertificate(ctx: RequestContext, token: string, number: string): Promise<CertificateInput> {
  return certificateOf(ctx, await linked(ctx, token, number));
}

/** The certificate an agency just verified (the verification's own certificate and history). */
export async function verifiedCertificateInput(
  ctx: RequestContext,
  verified: { certificate: GuaranteeView["certificate"]; versions: GuaranteeView["versions"] },
): Promise<CertificateInput> {
  return {
    certificate: verified.certificate,
    versions: verified.versions,
    delivery: "electronic",
    issuerAddress: await issuerAddress(ctx, verified.certificate.guarantor.id),
  };
}
