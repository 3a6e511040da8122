// Package telegram connects the bot core to Telegram through
// github.com/go-telegram-bot-api/telegram-bot-api/v5: long polling held by
// a store lease or a webhook handler, command routing, HTML rendering
// within Telegram's limits, and the Sender the delivery worker uses. The
// SDK's types never leave this package.
package telegram
