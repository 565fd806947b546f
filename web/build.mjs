// Builds the console into dist/: one hashed JS and one CSS bundle (Leaflet
// and its plugins included: nothing is fetched from a CDN at run time), an
// index.html that names them, and build.json with their sizes (raw and
// gzip), which `make bench` prints.
import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const here = new URL(".", import.meta.url).pathname;
// ADUAN_CONSOLE_DIST builds elsewhere (devstack serves the same variable)
const dist = process.env.ADUAN_CONSOLE_DIST || join(here, "dist");
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "assets"), { recursive: true });

const result = await esbuild.build({
  entryPoints: { app: join(here, "src/main.jsx") },
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "esm",
  target: ["es2020", "chrome100", "safari15", "firefox100"],
  outdir: join(dist, "assets"),
  entryNames: "[name]-[hash]",
  assetNames: "[name]-[hash]",
  loader: { ".png": "file", ".svg": "file" },
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "linked",
  metafile: true,
  logLevel: "warning",
});

const outputs = Object.keys(result.metafile.outputs).map((p) => p.split("/assets/")[1]);
const js = outputs.find((f) => f.endsWith(".js"));
const css = outputs.find((f) => f.endsWith(".css"));
const template = readFileSync(join(here, "index.html"), "utf8");
writeFileSync(join(dist, "index.html"),
  template.replace("%CSS%", `/assets/${css}`).replace("%JS%", `/assets/${js}`));

const files = {};
for (const name of readdirSync(join(dist, "assets"))) {
  const body = readFileSync(join(dist, "assets", name));
  files[name] = { bytes: statSync(join(dist, "assets", name)).size, gzip: gzipSync(body, { level: 9 }).length };
}
const firstLoad = [js, css].reduce((sum, f) => sum + files[f].gzip, 0)
  + gzipSync(readFileSync(join(dist, "index.html")), { level: 9 }).length;
const digest = createHash("sha256").update(readFileSync(join(dist, "index.html"))).digest("hex").slice(0, 12);
writeFileSync(join(dist, "build.json"), JSON.stringify({ js, css, files, first_load_gzip: firstLoad, digest }, null, 1));
console.log(`console built: ${js} + ${css}, first load ${(firstLoad / 1024).toFixed(1)} KB gzip`);
