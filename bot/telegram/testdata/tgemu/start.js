// Launches telegram-test-api (the package ships no CLI) on 127.0.0.1:TG_PORT
// for the Go tests in bot/telegram. Port 0 is not possible: the emulator
// turns it into 9000, so the tests pick a free port.
'use strict';

// A webhook that fails makes the emulator reject a promise nobody awaits;
// Node would then exit. Keep serving and report it.
process.on('unhandledRejection', (err) => {
  console.error('telegram-test-api: unhandled rejection:', err && err.message);
});

const TelegramServer = require('telegram-test-api');

const port = Number(process.env.TG_PORT || 9000);
const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });

server.start().then(() => {
  console.log(`telegram-test-api listening on ${server.config.apiURL}`);
});

async function stop() {
  await server.stop();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
