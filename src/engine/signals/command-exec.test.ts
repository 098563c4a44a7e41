import { describe, expect, it } from "vitest";
import { hitsForAdded, patchOf, scan, signalCases } from "../../../test/helpers/signal-cases.js";
import { commandExec } from "./command-exec.js";

signalCases(commandExec, {
  fires: {
    "src/services/convert.ts": [
      "const { stdout } = await exec(`convert ${input} -resize 200x200 ${output}`);",
      "const out = execSync('git log --format=%H ' + ref).toString();",
      'const child = spawn("ffmpeg", ["-i", src, dest]);',
      "const result = spawnSync(binary, args, { encoding: 'utf8' });",
      "execFile('/usr/bin/pdftotext', [file, '-'], done);",
      "const worker = child_process.fork(path.join(__dirname, 'worker.js'));",
      "const p = cp.spawn(cmd, args, { shell: true });",
      "  shell: true,",
      "const { stdout } = await execa('git', ['clone', repoUrl, dir]);",
      "await $`git checkout ${branch}`;",
      "shell.exec(`npm publish --tag ${tag}`);",
      'const proc = Bun.spawn(["tar", "-xzf", archive]);',
      'const cmd = new Deno.Command("git", { args: ["pull"] });',
      'spawn("sh", ["-c", userCommand]);',
      "require('child_process').exec(cmd, callback);",
    ],
    "app/jobs/render.py": [
      'os.system("convert %s out.png" % filename)',
      "stream = os.popen(cmd)",
      "subprocess.run(['git', 'clone', url, dest], check=True)",
      "out = subprocess.check_output(cmd, shell=True)",
      "    shell=True,",
      "proc = subprocess.Popen(args, stdout=subprocess.PIPE)",
      "proc = Popen(['tar', 'xf', path])",
      "status = commands.getoutput('ls ' + path)",
      "pty.spawn(['/bin/bash'])",
      "proc = await asyncio.create_subprocess_shell(command)",
      "os.execvp(program, [program, *argv])",
      'subprocess.call(["bash", "-c", script])',
    ],
    "internal/thumb/thumb.go": [
      '\tcmd := exec.Command("convert", src, "-thumbnail", "200", dst)',
      '\tcmd := exec.CommandContext(ctx, "git", "fetch", remote)',
      "\terr := syscall.Exec(binary, args, os.Environ())",
    ],
    "src/main/java/com/acme/Report.java": [
      "        Process p = Runtime.getRuntime().exec(command);",
      '        ProcessBuilder pb = new ProcessBuilder("pdflatex", file.toString());',
      '        new ProcessBuilder("bash", "-c", script).start();',
    ],
    "src/main/kotlin/com/acme/Git.kt": ['    val process = ProcessBuilder(listOf("git", "log", ref)).start()'],
    "build.gradle": ['def sha = "git rev-parse HEAD".execute().text.trim()'],
    "lib/tasks/backup.rb": [
      'system("pg_dump #{db} > #{file}")',
      'system "tar", "-czf", archive, dir',
      'exec "bin/worker", queue',
      "pid = spawn(cmd)",
      "out = `git log #{ref}`",
      "out = %x(git show #{sha})",
      "stdout, status = Open3.capture2('convert', src, dest)",
      "IO.popen(['ffmpeg', '-i', input]) { |io| io.read }",
      "ok = Kernel.system(command)",
    ],
    "app/Tools/Thumb.php": [
      "$out = shell_exec('convert ' . $file . ' thumb.png');",
      "passthru($cmd);",
      "$proc = proc_open($cmd, $spec, $pipes);",
      "exec('ls ' . $dir, $lines);",
      "system($command, $code);",
      "$out = `ls $dir`;",
    ],
    Dockerfile: [
      "RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -",
      "RUN wget -qO- https://get.example-tool.io/install.sh | sh",
      "RUN curl -sSL https://install.python-poetry.org | python3 - && curl -fsSL https://get.pnpm.io/install.sh | sh -",
    ],
    "scripts/bootstrap.sh": [
      'sh -c "$(curl -fsSL https://raw.githubusercontent.com/acme/dotfiles/main/install.sh)"',
      "bash <(curl -s https://tools.acme.dev/setup)",
      "curl -fsSL https://get.docker.com | sudo sh",
      "curl -fsSLo install.sh https://tools.acme.dev/install.sh && sh install.sh",
    ],
    ".github/workflows/ci.yml": ["        run: curl -sSfL https://raw.githubusercontent.com/acme/lint/main/install.sh | sh -s -- -b /usr/local/bin"],
    ".gitlab-ci.yml": ["    - curl -s https://tools.acme.dev/setup | bash"],
  },
  silent: {
    "src/services/convert.ts": [
      "const m = pattern.exec(line);",
      "while ((match = re.exec(text)) !== null) {",
      "const user = await User.findOne({ email }).exec();",
      "db.exec('CREATE TABLE IF NOT EXISTS jobs (id TEXT)');",
      "const { exec } = require('child_process');",
      "import { execSync } from 'node:child_process';",
      "  yield fork(watchOrders);",
      "  yield spawn(syncSaga);",
      "const systemTheme = window.matchMedia('(prefers-color-scheme: dark)');",
      "const label = 'Operating system exec mode';",
      "  async exec(args: string[]): Promise<void> {",
      "function exec(command) {",
      "// execSync('rm -rf ' + dir);",
      "const shellType = process.env.SHELL;",
      "const hint = 'children inherit the parent shell (shell: true, or a login shell)';",
      "  const result = runner.exec();",
    ],
    "src/services/convert.test.ts": ["execSync('git init', { cwd: dir });"],
    "app/jobs/render.py": [
      "spec.loader.exec_module(module)",
      "cursor.execute('SELECT 1')",
      "result = session.execute(select(User))",
      'system_prompt = "You are a helpful assistant"',
      "platform.system()",
      "# os.system('rm -rf /')",
      "connection.exec_driver_sql(sql)",
    ],
    "tests/test_cli.py": ["subprocess.run(['mytool', '--help'], check=True)"],
    "internal/thumb/thumb.go": [
      "\tres, err := db.Exec(query, id)",
      "\t_, err = tx.ExecContext(ctx, stmt)",
      "\tif err := tmpl.Execute(w, data); err != nil {",
    ],
    "internal/thumb/thumb_test.go": ['\tout, err := exec.Command("go", "build").CombinedOutput()'],
    "src/main/java/com/acme/Report.java": [
      "        jdbcTemplate.execute(sql);",
      "        executor.execute(task);",
      '        String os = System.getProperty("os.name");',
    ],
    Jenkinsfile: ["        sh 'make release'"],
    "lib/tasks/backup.rb": [
      "ActiveRecord::Base.connection.execute(sql)",
      "result = connection.exec_query(sql)",
      'puts "the system is down"',
      "files = `git ls-files -z`.split(\"\\x0\")",
      "  def exec(args)",
      "# system(\"rm -rf #{dir}\")",
      "config.file_watcher = ActiveSupport::FileUpdateChecker",
    ],
    "app/Tools/Thumb.php": ["$count = $pdo->exec($sql);", "$db->exec('VACUUM');", "public function exec($query) {"],
    Dockerfile: [
      "RUN npm ci && npm run build",
      "RUN curl -fsSL https://deb.nodesource.com/gpgkey/nodesource.gpg.key | gpg --dearmor -o /usr/share/keyrings/node.gpg",
      "RUN curl -fsSLO https://dl.acme.dev/tool.tar.gz && echo \"$SHA  tool.tar.gz\" | sha256sum -c -",
      'RUN curl -s https://api.github.com/repos/acme/tool/releases/latest | jq -r .tag_name',
    ],
    ".github/workflows/ci.yml": ["        run: npm test", "        run: ./scripts/deploy.sh ${{ github.sha }}"],
    "scripts/bootstrap.sh": ["curl -fsSL https://api.acme.dev/health || exit 1", "git pull && ./build.sh"],
    "docs/install.md": ["curl -fsSL https://get.acme.dev | sh"],
  },
  moved: {
    "src/services/convert.ts": ['const child = spawn("ffmpeg", ["-i", src, dest]);'],
    "app/jobs/render.py": ["out = subprocess.check_output(cmd, shell=True)"],
    "internal/thumb/thumb.go": ['\tcmd := exec.Command("convert", src, "-thumbnail", "200", dst)'],
    "src/main/java/com/acme/Report.java": ["        Process p = Runtime.getRuntime().exec(command);"],
    "lib/tasks/backup.rb": ['system("pg_dump #{db} > #{file}")'],
    Dockerfile: ["RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -"],
  },
});

describe("command-exec labels", () => {
  it("names the shell apart from plain process execution", () => {
    const label = (path: string, line: string) => hitsForAdded(commandExec, path, line).map((h) => h.label);
    expect(label("app/jobs/render.py", "out = subprocess.check_output(cmd, shell=True)")).toEqual(["command run through a shell (shell=True)"]);
    expect(label("app/jobs/render.py", "subprocess.run(['git', 'status'])")).toEqual(["process execution (subprocess)"]);
    expect(label("src/a.ts", "const p = cp.spawn(cmd, args, { shell: true });")).toEqual(["command run through a shell (shell: true)"]);
    expect(label("src/a.ts", "const { stdout } = await exec(`convert ${input} out.png`);")).toEqual([
      "command run through a shell with interpolated input (exec of a built string)",
    ]);
    expect(label("lib/tasks/backup.rb", 'system("pg_dump #{db} > #{file}")')).toEqual([
      "command run through a shell with interpolated input (Ruby system or exec string)",
    ]);
    expect(label("lib/tasks/backup.rb", 'system("pg_dump", db, "-f", file)')).toEqual(["process execution (Ruby system, exec or spawn)"]);
    expect(label("Dockerfile", "RUN curl -fsSL https://get.acme.dev | bash")).toEqual(["download piped to a shell"]);
  });
});

describe("command-exec identity", () => {
  it("an edited call that runs the same command is a rewrite", () => {
    const hits = scan(commandExec, [
      {
        path: "src/a.ts",
        status: "modified",
        patch: patchOf(["const output = execFileSync('git', ['status'], { cwd });"], ["const out = execFileSync('git', ['status']);"]),
      },
      {
        path: "cmd/a.go",
        status: "modified",
        patch: patchOf(['\tc := exec.CommandContext(ctx, "git", "fetch", "--prune")'], ['\tcmd := exec.CommandContext(ctx, "git", "fetch")']),
      },
    ]);
    expect(hits).toEqual([]);
  });
  it("running a different program fires", () => {
    const hits = scan(commandExec, [
      { path: "cmd/a.go", status: "modified", patch: patchOf(['\tcmd := exec.CommandContext(ctx, "sh", script)'], ['\tcmd := exec.CommandContext(ctx, "git", "fetch")']) },
    ]);
    expect(hits.map((h) => h.line)).toEqual([1]);
  });
  it("a piped installer whose URL was already there is not new; a new URL is", () => {
    const old = "RUN curl -fsSL https://deb.nodesource.com/setup_18.x | bash -";
    const same = scan(commandExec, [
      { path: "Dockerfile", status: "modified", patch: patchOf(["RUN curl -sL https://deb.nodesource.com/setup_18.x | sudo -E bash -"], [old]) },
    ]);
    expect(same).toEqual([]);
    const bumped = scan(commandExec, [
      { path: "Dockerfile", status: "modified", patch: patchOf(["RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -"], [old]) },
    ]);
    expect(bumped.map((h) => h.label)).toEqual(["download piped to a shell"]);
  });
});

describe("command-exec on hostile input", () => {
  it("runs its rules on 2,000-character lines without firing", () => {
    const lines = [
      "a".repeat(2000),
      "curl ".repeat(400),
      `curl ${"x".repeat(1990)}`,
      "`".repeat(2000),
      "%x(a) ".repeat(333),
      "exec".repeat(500),
      `${"public ".repeat(250)}`,
      `=${" ".repeat(1998)}`,
      "system_".repeat(285),
    ];
    for (const path of ["src/a.ts", "app/a.py", "app/a.rb", "app/a.php", "Dockerfile", "scripts/a.sh", "cmd/a.go", "src/main/java/A.java"]) {
      for (const line of lines) expect(hitsForAdded(commandExec, path, line), `${path}: ${line.slice(0, 20)}`).toEqual([]);
    }
  });
});
