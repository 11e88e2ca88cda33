/**
 * The chat chunk's entry (chat-<hash>.js, built by scripts/build-widget.sh): StanzaJS, the desk
 * session and the panel. The loader (loader/main.ts) loads it as a classic script and mounts it
 * through the contract in chat-contract.ts.
 */
import { CHAT_CONTRACT_VERSION, CHAT_GLOBAL, type ChatModule } from './chat-contract.js';
import { createWidget } from './widget.js';

const chat: ChatModule = { version: CHAT_CONTRACT_VERSION, mount: createWidget };
(window as unknown as Record<string, ChatModule>)[CHAT_GLOBAL] = chat;
