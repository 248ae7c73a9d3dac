// Container HEALTHCHECK: GET /health on the server's own port; exit 0 only on 200 (503 while starting or draining).
// Plain Node.js because slim images have no curl. CommonJS so it runs whatever package.json says about modules.
"use strict";
const http = require("node:http");

const port = Number(process.env.PORT || 8080);
// A wildcard listen address is reached on loopback; a specific one is used as it is.
const listen = process.env.HOST || "0.0.0.0";
const host = ["0.0.0.0", "::", "[::]"].includes(listen) ? "127.0.0.1" : listen;

const request = http.get({ host, port, path: "/health", timeout: 4000 }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on("timeout", () => {
  request.destroy();
  process.exit(1);
});
request.on("error", () => process.exit(1));
