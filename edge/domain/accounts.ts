// Account input rules, shared by the API and the registration and login forms.
import { z } from "zod";

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export const Email = z
  .string({ error: "メールアドレスを入力してください" })
  .trim()
  .max(254, { error: "メールアドレスが長すぎます" })
  .pipe(z.email({ error: "メールアドレスの形式が正しくありません" }))
  .transform((e) => e.toLowerCase());

export const NewPassword = z
  .string({ error: "パスワードを入力してください" })
  .min(PASSWORD_MIN, { error: `パスワードは${PASSWORD_MIN}文字以上にしてください` })
  .max(PASSWORD_MAX, { error: `パスワードは${PASSWORD_MAX}文字以内にしてください` });

const text = (label: string, max: number) =>
  z
    .string({ error: `${label}を入力してください` })
    .trim()
    .min(1, { error: `${label}を入力してください` })
    .max(max, { error: `${label}は${max}文字以内で入力してください` });

export const Registration = z.object({
  email: Email,
  password: NewPassword,
  company: z.object(
    {
      name: text("会社名", 200),
      address: text("所在地", 300),
      representative: text("代表者名", 100),
    },
    { error: "会社の情報（会社名・所在地・代表者名）を入力してください" },
  ),
});
export type Registration = z.infer<typeof Registration>;

export const Credentials = z.object({
  email: Email,
  // No length rule at login beyond a DoS guard: a wrong password is just wrong.
  password: z.string({ error: "パスワードを入力してください" }).min(1, { error: "パスワードを入力してください" }).max(1024, {
    error: "パスワードが長すぎます",
  }),
});
export type Credentials = z.infer<typeof Credentials>;
