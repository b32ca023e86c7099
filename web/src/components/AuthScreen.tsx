import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN } from "@charla/client";
import { errorText } from "../errors.ts";
import { ChatBubblesIcon } from "../icons.tsx";
import { t } from "../i18n.ts";
import { api, logIn } from "../session.ts";

type Mode = "login" | "register";

/** Log in or register: one form, two submit buttons. */
export function AuthScreen() {
  const id = useId();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const auth = useMutation({
    mutationFn: ({ mode }: { mode: Mode }) =>
      mode === "login" ? api.login({ username, password }) : api.register({ username, password }),
    onSuccess: logIn,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const mode: Mode = submitter?.value === "register" ? "register" : "login";
    auth.mutate({ mode });
  }

  return (
    <main className="auth">
      <div className="auth-card">
        <div className="auth-brand">
          <span className="auth-logo">
            <ChatBubblesIcon />
          </span>
          <h1>{t.appName}</h1>
          <p>{t.tagline}</p>
        </div>
        <form onSubmit={submit} className="auth-form" aria-busy={auth.isPending}>
          <div className="field">
            <label htmlFor={`${id}-username`}>{t.username}</label>
            <input
              id={`${id}-username`}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              minLength={USERNAME_MIN}
              maxLength={USERNAME_MAX}
              pattern="[A-Za-z0-9_.\-]+"
              title={t.usernameHint}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              autoFocus
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-password`}>{t.password}</label>
            <input
              id={`${id}-password`}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              minLength={PASSWORD_MIN}
              maxLength={PASSWORD_MAX}
              title={t.passwordHint}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          {auth.isError && (
            <p className="form-error" role="alert">
              {errorText(auth.error, auth.variables?.mode === "register")}
            </p>
          )}
          <button className="btn btn-primary" type="submit" value="login" disabled={auth.isPending}>
            {t.logIn}
          </button>
          <div className="auth-divider">
            <span>{t.noAccount}</span>
          </div>
          <button
            className="btn btn-secondary"
            type="submit"
            value="register"
            disabled={auth.isPending}
          >
            {t.register}
          </button>
          <p className="auth-hint">
            {t.usernameHint} · {t.passwordHint}
          </p>
        </form>
      </div>
    </main>
  );
}
