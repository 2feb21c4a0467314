// Bundle the workbench into the package's static folder and ship the licences of what went in.
//   node frontend/build.mjs     (run by `./run serve` and `./run test` when the sources changed)
import { build } from "esbuild";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "visitgraph", "web", "static");
mkdirSync(out, { recursive: true });

const js = await build({
  entryPoints: [join(here, "src", "workbench.js")], bundle: true, minify: true, format: "iife",
  target: ["es2020"], outfile: join(out, "workbench.js"), metafile: true, legalComments: "none", logLevel: "warning",
  banner: { js: "/* visitgraph SPARQL workbench. Bundled packages and their licences: THIRD-PARTY-LICENSES.txt */" },
});
await build({
  entryPoints: [join(here, "src", "workbench.css")], bundle: true, minify: true,
  outfile: join(out, "workbench.css"), logLevel: "warning",
});

// Every npm package that contributed code to the bundle, with its licence text.
const names = new Set();
for (const input of Object.keys(js.metafile.inputs)) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) names.add(m[1]);
}
const sections = [];
for (const name of [...names].sort()) {
  const root = join(here, "node_modules", name);
  const meta = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const file = readdirSync(root).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  if (!file) throw new Error(`${name}: no licence file to ship`);
  sections.push(`${name} ${meta.version} — ${meta.license}\n${"=".repeat(60)}\n${readFileSync(join(root, file), "utf8").trim()}\n`);
}
writeFileSync(join(out, "THIRD-PARTY-LICENSES.txt"),
  `Packages bundled into workbench.js (from the npm registry, versions pinned in frontend/package-lock.json)\n\n${sections.join("\n")}`);
console.log(`workbench: ${names.size} packages bundled into ${out}`);
if (!existsSync(join(out, "workbench.js"))) process.exit(1);
