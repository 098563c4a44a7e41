import type { SignalDefinition } from "./types.js";
import { DOCS_PATH, TEST_PATH, foldedArguments } from "./source-text.js";

/**
 * Starting processes from application code, with the shell cases (a command string handed to
 * /bin/sh, where input becomes syntax) labelled apart. Shell steps in Dockerfiles, workflows
 * and scripts are expected there; only fetch-and-execute (`curl | sh`) fires for them.
 *
 * Labels that name a shell start with "command run through a shell" so that, where several
 * rules agree on one line, the runner keeps the more specific one.
 */

/** Test harnesses start processes all the time; that is not an attack surface. */

/**
 * What a call introduces: the callee and the command it runs (two arguments, so that a Go
 * context or a Python list's program and first flag both count). An edited line that runs the
 * same command (a renamed result, an added cwd or encoding option) is a rewrite, not new.
 */
const callIdentity = (m: RegExpExecArray): string => `${m[0].replace(/\s+/g, "").replace(/^[^\w$]+/, "")}${foldedArguments(m, 2)}`;

/** The URL a fetch-and-execute line downloads: the same script piped differently is not new. */
const urlIdentity = (m: RegExpExecArray): string | null => /https?:\/\/[^\s"'|)]+/.exec(m.input)?.[0] ?? null;

const SHELL = "command run through a shell";
const PROC = "process execution";

/** `sh -c`, `bash -c` as the program: the command string is shell syntax. */
const SH_DASH_C = /["'](?:\/(?:usr\/)?bin\/)?(?:ba|z|da)?sh["']\s*,\s*(?:\[\s*)?["']-c["']/;

export const commandExec: SignalDefinition = {
  id: "command-exec",
  title: "Process or shell command execution",
  stride: ["elevation-of-privilege", "tampering"],
  severity: "high",
  question:
    "Can any part of this command, its arguments or its environment come from a user, a request or a file the service does not control, and could it run without a shell, with a fixed program and an argument list?",
  detects:
    "Process execution from code: Node child_process (exec, execSync, spawn, execFile, fork), execa, zx and Bun $ templates, shelljs, Bun.spawn, Deno.Command; Python os.system/popen/exec*/spawn*, subprocess, commands, pty.spawn, asyncio subprocesses; Go exec.Command and syscall.Exec; Java/Kotlin Runtime.exec and ProcessBuilder, Groovy String.execute; Ruby system/exec/spawn, backticks and %x with interpolation, Open3, IO.popen; PHP shell_exec/passthru/proc_open/popen/system/exec. Shell use is labelled apart (shell: true, shell=True, os.system, sh -c, interpolated command strings). In Dockerfiles, shell scripts, workflows and CI YAML: a download piped to a shell (curl | sh, bash <(curl ...), sh -c \"$(curl ...)\").",
  falsePositives:
    "Build and release scripts outside test folders that run fixed commands; a bare exec()/spawn() call that is a project's own function of that name. RegExp exec, SQL execute (database/sql Exec, ActiveRecord execute, PDO exec), Python exec_module, redux-saga fork/spawn, identifiers such as systemTheme, the word system in strings, RUN and run: steps themselves, and tests do not fire.",
  flows: "none",
  rules: [
    // JavaScript / TypeScript
    {
      label: `${SHELL} with interpolated input (exec of a built string)`,
      languages: ["js"],
      skipPaths: TEST_PATH,
      pattern: /(?:(?<![\w$.])|\b(?:child_process|childProcess|cp)\s*\.\s*)(?:exec|execSync)\s*\(\s*(?:`[^`]*\$\{|["'][^"'\\]*["']\s*\+|\w+\s*\+\s*["'])/,
    },
    {
      label: `${SHELL} (shell: true)`,
      languages: ["js"],
      skipPaths: TEST_PATH,
      // An options property, not the words inside a string: `{ shell: true }`, `  shell: true,`.
      pattern: /(?:^|[{,])\s*shell\s*:\s*true\s*(?:[,}]|$)/,
    },
    {
      label: `${SHELL} (sh -c)`,
      languages: ["js", "python", "go", "java", "ruby", "php"],
      skipPaths: TEST_PATH,
      pattern: SH_DASH_C,
    },
    {
      label: `${PROC} (child_process)`,
      languages: ["js"],
      skipPaths: TEST_PATH,
      pattern: /\b(?:child_process|childProcess|cp)\s*\.\s*(?:exec|execSync|execFile|execFileSync|spawn|spawnSync|fork)\s*\(|\bchild_process["']\s*\)\s*\.\s*(?:exec|execSync|execFile|execFileSync|spawn|spawnSync|fork)\s*\(/,
      identity: callIdentity,
    },
    {
      label: `${PROC} (child_process)`,
      languages: ["js"],
      skipPaths: TEST_PATH,
      pattern: /(?<![\w$.])(?:execSync|execFileSync|spawnSync|execFile|exec|spawn)\s*\((?=\s*[^\s)])/,
      unless: /\bfunction\s*\*?\s*(?:exec|spawn)\w*\s*\(|\byield\s+spawn\b|^\s*(?:(?:public|private|protected|static|async|override)\s+)*(?:execSync|execFileSync|spawnSync|execFile|exec|spawn)\s*\([^)]*\)\s*(?::\s*[^={]{1,80})?\{/,
      identity: callIdentity,
    },
    {
      label: `${PROC} (execa, zx or Bun shell)`,
      languages: ["js"],
      skipPaths: TEST_PATH,
      pattern: /(?<![\w$.])execa(?:Sync|Command|CommandSync|Node)?\s*\(|(?<![\w$.])\$(?:\.sync)?`/,
      identity: callIdentity,
    },
    {
      label: `${PROC} (shelljs)`,
      languages: ["js"],
      skipPaths: TEST_PATH,
      pattern: /\b(?:shell|shelljs)\s*\.\s*exec\s*\(/,
      identity: callIdentity,
    },
    {
      label: `${PROC} (Bun or Deno)`,
      languages: ["js"],
      skipPaths: TEST_PATH,
      pattern: /\bBun\s*\.\s*spawn(?:Sync)?\s*\(|\bnew\s+Deno\s*\.\s*Command\s*\(|\bDeno\s*\.\s*run\s*\(/,
      identity: callIdentity,
    },
    // Python
    {
      label: `${SHELL} (shell=True)`,
      languages: ["python"],
      skipPaths: TEST_PATH,
      pattern: /\bshell\s*=\s*True\b/,
    },
    {
      label: `${SHELL} (os.system, os.popen, subprocess shell)`,
      languages: ["python"],
      skipPaths: TEST_PATH,
      pattern: /\bos\s*\.\s*(?:system|popen)\s*\(|\b(?:subprocess|commands)\s*\.\s*get(?:status)?output\s*\(|\b(?:create_subprocess_shell|subprocess_shell)\s*\(/,
      identity: callIdentity,
    },
    {
      label: `${PROC} (subprocess)`,
      languages: ["python"],
      skipPaths: TEST_PATH,
      pattern: /\bsubprocess\s*\.\s*(?:run|call|check_call|check_output|Popen)\s*\(|(?<![\w.])(?:Popen|check_output|check_call)\s*\(|\bcreate_subprocess_exec\s*\(/,
      identity: callIdentity,
    },
    {
      label: `${PROC} (os.exec*, os.spawn*, pty)`,
      languages: ["python"],
      skipPaths: TEST_PATH,
      pattern: /\bos\s*\.\s*(?:exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?)\s*\(|\bpty\s*\.\s*spawn\s*\(/,
      identity: callIdentity,
    },
    // Go
    {
      label: `${PROC} (os/exec)`,
      languages: ["go"],
      skipPaths: TEST_PATH,
      pattern: /\bexec\s*\.\s*Command(?:Context)?\s*\(|\bsyscall\s*\.\s*(?:Exec|ForkExec|StartProcess)\s*\(|\bos\s*\.\s*StartProcess\s*\(/,
      identity: callIdentity,
    },
    // Java, Kotlin, Groovy
    {
      label: `${PROC} (Runtime.exec or ProcessBuilder)`,
      languages: ["java"],
      skipPaths: TEST_PATH,
      pattern: /\bgetRuntime\s*\(\s*\)\s*\.\s*exec\s*\(|\b(?:runtime|rt)\s*\.\s*exec\s*\(|\bProcessBuilder\s*\(|\bnew\s+DefaultExecutor\s*\(/,
      identity: callIdentity,
    },
    {
      label: `${PROC} (Groovy execute)`,
      languages: ["java"],
      paths: /\.(groovy|gradle)$/,
      skipPaths: TEST_PATH,
      pattern: /["'\]]\s*\.\s*execute\s*\(\s*\)/,
    },
    // Ruby
    {
      label: `${SHELL} with interpolated input (Ruby backticks or %x)`,
      languages: ["ruby"],
      skipPaths: TEST_PATH,
      // `#{` is read as a comment outside quotes, so an interpolated backtick may reach here cut off at `#`.
      pattern: /(?:^\s*|[=(,[]\s*|\breturn\s+|&&\s*|\|\|\s*)(?:`[^`]*#\{|`[^`"']*$)|%x[({[|][^)}\]|]*(?:#\{|$)/,
    },
    {
      label: `${SHELL} with interpolated input (Ruby system or exec string)`,
      languages: ["ruby"],
      skipPaths: TEST_PATH,
      pattern: /(?:^|[=(!,]|&&|\|\||\b(?:if|unless|return|and|or|then|do)\b)\s*(?:Kernel\s*\.\s*)?(?:system|exec|spawn)(?:\s*\(\s*|\s+)"[^"]*#\{/,
    },
    {
      label: `${PROC} (Ruby system, exec or spawn)`,
      languages: ["ruby"],
      skipPaths: TEST_PATH,
      pattern: /(?:^|[=(!,]|&&|\|\||\b(?:if|unless|return|and|or|then|do)\b)\s*(?:Kernel\s*\.\s*)?(?:system|exec|spawn)(?:\s*\(|\s+(?=["'%\w@$:[]))|\b(?:Kernel|Process)\s*\.\s*(?:system|exec|spawn)\b/,
    },
    {
      label: `${PROC} (Open3, IO.popen, PTY)`,
      languages: ["ruby"],
      skipPaths: TEST_PATH,
      pattern: /\bOpen3\s*\.\s*(?:capture2e?|capture3|popen2e?|popen3|pipeline\w*)\b|\bIO\s*\.\s*popen\b|\bPTY\s*\.\s*spawn\b/,
    },
    // PHP
    {
      label: `${SHELL} (PHP shell functions)`,
      languages: ["php"],
      skipPaths: TEST_PATH,
      pattern: /(?<![\w$>:])(?:shell_exec|passthru|proc_open|popen|pcntl_exec|system|exec)\s*\(|=\s*`[^`]*\$\w/,
      unless: /\bfunction\s+&?\s*(?:shell_exec|passthru|proc_open|popen|pcntl_exec|system|exec)\b/,
      identity: callIdentity,
    },
    // Dockerfiles, scripts, workflows and CI YAML: fetch-and-execute
    {
      label: "download piped to a shell",
      languages: ["dockerfile", "shell", "workflow", "yaml"],
      skipPaths: DOCS_PATH,
      pattern: /\b(?:curl|wget)\b[^|;]*\|\s*(?:sudo\s+(?:-\w+\s+)?)?(?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k)?sh\b|\b(?:(?:ba|z|da|k)?sh|source|eval)\s+(?:-c\s+)?(?:<\(|["']?\$\()\s*(?:curl|wget)\b/,
      identity: urlIdentity,
    },
    {
      label: "download then run by a shell",
      languages: ["dockerfile", "shell", "workflow", "yaml"],
      skipPaths: DOCS_PATH,
      pattern: /\b(?:curl|wget)\b[^|;]*&&\s*(?:sudo\s+)?(?:ba|z|da)?sh\s+[\w./~-]*\.sh\b/,
      identity: urlIdentity,
    },
  ],
};
