import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { ChatError, PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN } from "@charla/client";
import { errorText } from "../errors.ts";
import { ChatBubblesIcon } from "../icons.tsx";
import { t } from "../i18n.ts";
import { inviteCode, inviteInUrl, leaveRegisterPage, openedToRegister } from "../invite.ts";
import { useServerSettings } from "../server-settings.ts";
import { api, logIn } from "../session.ts";

type Mode = "login" | "register";

/** What a refusal means here: FORBIDDEN is a deactivated account, or a needed invite. */
function failureText(error: unknown, mode: Mode, closed: boolean): string {
  if (error instanceof ChatError && error.code === "FORBIDDEN") {
    if (mode === "login") return t.signUp.deactivated;
    return closed ? t.signUp.closed : t.signUp.needsInvite;
  }
  return errorText(error, mode === "register");
}

/**
 * Log in or register: one form, two submit buttons. Opened from an invite link
 * (`/register?invite=…`) it is the register page, with the invite filled in. The server says
 * what registration admits (GET /api/server): by invite, the invite field is there from the
 * start; closed, there is no register button, only a line that says so. The invite field
 * also appears when the server refuses a registration without one.
 */
export function AuthScreen() {
  const id = useId();
  const [page, setPage] = useState<Mode>(() => (openedToRegister() ? "register" : "login"));
  const [invite, setInvite] = useState(() => inviteInUrl() ?? "");
  const [askInvite, setAskInvite] = useState(() => inviteInUrl() !== null);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const registration = useServerSettings()?.registration;
  const closed = registration === "closed";
  const auth = useMutation({
    mutationFn: ({ mode }: { mode: Mode }) => {
      if (mode === "login") return api.login({ username, password });
      const code = inviteCode(invite);
      return api.register(code ? { username, password, invite: code } : { username, password });
    },
    onSuccess: (result) => {
      leaveRegisterPage();
      logIn(result);
    },
    onError: (error, { mode }) => {
      if (mode === "register" && error instanceof ChatError && error.code === "FORBIDDEN") {
        setAskInvite(true);
      }
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const mode: Mode = submitter?.value === "register" ? "register" : page;
    auth.mutate({ mode });
  }

  function toLogin() {
    leaveRegisterPage();
    auth.reset();
    setPage("login");
  }

  const registering = page === "register" && !closed;
  const showInvite = (askInvite || registration === "invite") && !closed;
  return (
    <main className="auth">
      <div className="auth-card">
        <div className="auth-brand">
          <span className="auth-logo">
            <ChatBubblesIcon />
          </span>
          <h1>{registering ? t.signUp.title : t.appName}</h1>
          <p>{registering && inviteInUrl() !== null ? t.signUp.invited : t.tagline}</p>
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
              autoComplete={registering ? "new-password" : "current-password"}
              required
              minLength={PASSWORD_MIN}
              maxLength={PASSWORD_MAX}
              title={t.passwordHint}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          {showInvite && (
            <div className="field">
              <label htmlFor={`${id}-invite`}>{t.signUp.invite}</label>
              <input
                id={`${id}-invite`}
                name="invite"
                autoComplete="off"
                spellCheck={false}
                aria-describedby={`${id}-invite-hint`}
                value={invite}
                onChange={(e) => setInvite(e.target.value)}
              />
              <span id={`${id}-invite-hint`} className="dialog-hint">
                {t.signUp.inviteHint}
              </span>
            </div>
          )}
          {auth.isError && (
            <p className="form-error" role="alert">
              {failureText(auth.error, auth.variables?.mode ?? page, closed)}
            </p>
          )}
          {registering ? (
            <>
              <button
                className="btn btn-primary"
                type="submit"
                value="register"
                disabled={auth.isPending}
              >
                {t.signUp.create}
              </button>
              <div className="auth-divider">
                <span>{t.signUp.haveAccount}</span>
              </div>
              <button
                className="btn btn-secondary"
                type="button"
                onClick={toLogin}
                disabled={auth.isPending}
              >
                {t.logIn}
              </button>
            </>
          ) : (
            <>
              <button
                className="btn btn-primary"
                type="submit"
                value="login"
                disabled={auth.isPending}
              >
                {t.logIn}
              </button>
              {closed ? (
                <p className="auth-hint">{t.signUp.closed}</p>
              ) : (
                <>
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
                </>
              )}
            </>
          )}
          <p className="auth-hint">
            {t.usernameHint} · {t.passwordHint}
          </p>
        </form>
      </div>
    </main>
  );
}
