// Sending one rendered e-mail. Resend when RESEND_API_KEY is set (RESEND_BASE_URL points it at a
// stand-in in tests); otherwise there is no transport and mail waits in the outbox, visible at
// GET /api/v1/dev/outbox outside production.
import { Resend } from "resend";
import type { Bindings } from "../env.ts";

export interface RenderedMail {
  to: string;
  subject: string;
  text: string;
  links: string[];
}

export type SendResult = { ok: true; providerId: string | null } | { ok: false; error: string; retry: boolean };

export interface Transport {
  name: string;
  send(mail: RenderedMail, idempotencyKey: string): Promise<SendResult>;
}

export function transportFor(env: Bindings): Transport | null {
  const key = env.RESEND_API_KEY;
  if (key === undefined) return null;
  const resend = new Resend(key, env.RESEND_BASE_URL === undefined ? undefined : { baseUrl: env.RESEND_BASE_URL.replace(/\/$/, "") });
  return {
    name: "resend",
    async send(mail, idempotencyKey) {
      try {
        const { data, error } = await resend.emails.send(
          { from: env.MAIL_FROM, to: [mail.to], subject: mail.subject, text: mail.text },
          { idempotencyKey },
        );
        if (error !== null) {
          // Resend's 4xx other than rate limits will not get better by retrying.
          const status = (error as { statusCode?: number | null }).statusCode ?? 0;
          const retry = status === 0 || status === 429 || status >= 500;
          return { ok: false, error: `${error.name}: ${error.message}`.slice(0, 500), retry };
        }
        return { ok: true, providerId: data?.id ?? null };
      } catch (error) {
        return { ok: false, error: (error instanceof Error ? error.message : String(error)).slice(0, 500), retry: true };
      }
    },
  };
}
