/**
 * What the peer scenario needs from the machine: Debian packages (installed with apt-get
 * when missing, without letting their services start) and free loopback ports.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";

const POLICY_RC = "/usr/sbin/policy-rc.d";

/** The installed version of a Debian package, or undefined. */
export function packageVersion(name: string): string | undefined {
  const r = spawnSync("dpkg-query", ["-W", "-f", "${Status}|${Version}", name], {
    encoding: "utf8",
  });
  const [status, version] = (r.stdout ?? "").split("|");
  return r.status === 0 && status?.endsWith(" installed") ? version : undefined;
}

export function hasCommand(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

/**
 * `apt-get install` of `packages`, saying so. A `policy-rc.d` that refuses every start is
 * put in place for the length of the install (when none is there already), so the
 * packaged daemon (prosody.service, ejabberd.service) is never started: the benchmark
 * starts its own instance from its own config.
 */
export function installDebianPackages(packages: string[], log: (s: string) => void): void {
  if (packages.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing Debian packages; install them first: apt-get install ${packages.join(" ")}`,
    );
  }
  log(
    `installing Debian packages ${packages.join(", ")} with apt-get (their services are not started)`,
  );
  const ownPolicy = !existsSync(POLICY_RC);
  if (ownPolicy) writeFileSync(POLICY_RC, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const install = () =>
      spawnSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...packages], {
        env,
        encoding: "utf8",
      });
    let r = install();
    if (r.status !== 0) {
      // A fresh machine may have no package lists yet.
      execFileSync("apt-get", ["update", "-q"], { env, stdio: "ignore" });
      r = install();
    }
    if (r.status !== 0)
      throw new Error(`apt-get install failed:\n${(r.stderr ?? "").slice(-2000)}`);
  } finally {
    if (ownPolicy) rmSync(POLICY_RC, { force: true });
  }
}

/** A TCP port free on 127.0.0.1 right now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      s.close(() =>
        typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port")),
      );
    });
  });
}
