// Parley never turns on end-to-end encryption, but @vector-im/matrix-bot-sdk
// imports this package when it loads. Any real use is a bug, so it fails loudly.
"use strict";
const unsupported = () => {
  throw new Error("Parley is built without end-to-end encryption support");
};
module.exports = new Proxy({}, {
  get(_target, name) {
    if (name === "__esModule" || typeof name === "symbol") return undefined;
    return unsupported;
  },
});
