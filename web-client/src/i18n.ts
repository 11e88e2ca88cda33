/**
 * The widget's texts, English and Japanese (from the page's language, or data-lang). The desk's
 * automatic replies are re-said here from their machine-readable <status/>, never parsed.
 */
import type { Lang } from './options.js';

/** Minutes to wait: 0 = "shortly", null = no operator online (you keep your place). */
export type WaitMinutes = number | null;

export interface Strings {
  title: string;
  launcher: { open: string; busy: string; closed: string; connecting: string };
  deskOpen: string;
  deskBusy: (waiting: number | undefined, minutes: number | undefined) => string;
  /** The launcher's short second line when busy. */
  busyDetail: (waiting: number | undefined, minutes: number | undefined) => string;
  deskClosed: string;
  /** Closed by business hours; `opening` is already in the customer's own zone and language. */
  deskClosedUntil: (opening: string) => string;
  startChat: string;
  minimise: string;
  joining: string;
  waiting: (ticket: number, position: number, minutes: WaitMinutes) => string;
  chattingWith: (name: string) => string;
  typing: (name: string) => string;
  joined: (name: string) => string;
  takenOver: (name: string, previous: string) => string;
  requeued: (ticket: number) => string;
  ended: string;
  refused: string;
  connectionLost: string;
  /** Ended at closing time (reason 'closed'): the question is kept and answered later. */
  closedAtClosing: string;
  newChat: string;
  you: string;
  messageLabel: string;
  messagePlaceholder: string;
  send: string;
  endChat: string;
  notDelivered: (reason: string) => string;
  endedBy: (name: string) => string;
  required: string;
  fieldRequired: (label: string) => string;
  leaveNote: string;
  leaveSubmit: string;
  leftMessage: (ticket: number | undefined) => string;
  replyFrom: (operator: string, ticket: number | undefined) => string;
  marks: { pending: string; sent: string; delivered: string; read: string; failed: string; unsent: string };
  retry: string;
  attach: string;
  /** Issue 20: a verified customer writes at once; the sticker panel. */
  signedIn: (name: string) => string;
  stickers: string;
  uploading: string;
  uploadFailed: (reason: string) => string;
  sneakPeekNotice: string;
  rateTitle: string;
  rateStar: (n: number) => string;
  rateComment: string;
  rateSend: string;
  rateThanks: (n: number) => string;
  transcript: string;
  emailTranscript: string;
  transcriptMailed: string;
  soundOn: string;
  soundOff: string;
  flashTitle: string;
  reconnecting: string;
}

const en: Strings = {
  title: 'Chat with us',
  launcher: { open: 'Chat with us', busy: 'Busy', closed: 'Closed', connecting: 'Connecting…' },
  deskOpen: 'Open — an operator is free',
  deskBusy: (n, m) => `All operators busy${n === undefined ? '' : ` — ${n} waiting`}${m === undefined ? '' : `, about ${m} min`}`,
  busyDetail: (n, m) => [n === undefined ? '' : `${n} waiting`, m === undefined ? '' : `about ${m} min`].filter(Boolean).join(' · '),
  deskClosed: 'Closed — no operator is online',
  deskClosedUntil: (opening) => `Closed — opens ${opening}`,
  startChat: 'Start chat',
  minimise: 'Minimise chat',
  joining: 'Sending…',
  waiting: (t, p, m) =>
    `Ticket #${t} · You are number ${p} in line · ` +
    (m === null ? 'no operator is online yet' : m === 0 ? 'an operator will be with you shortly' : `about ${m} min`),
  chattingWith: (name) => `You are chatting with ${name}`,
  typing: (name) => `${name} is typing…`,
  joined: (name) => `${name} has joined the chat.`,
  takenOver: (name, prev) => `${name} has taken over from ${prev}.`,
  // Said for a requeue (the operator vanished) and a transfer to a desk alike: <status/> does not tell them apart.
  requeued: (t) => `Ticket #${t} is back at the head of the line: the next free operator will continue.`,
  ended: 'The chat has ended. Thank you for contacting us.',
  refused: 'Sorry, this desk is closed right now.',
  connectionLost: 'The connection was lost and the chat has ended.',
  closedAtClosing: 'We have closed for today. Your question is kept, and an operator will answer it on your next visit.',
  newChat: 'Start a new chat',
  you: 'You',
  messageLabel: 'Message',
  messagePlaceholder: 'Write a message…',
  send: 'Send',
  endChat: 'End chat',
  notDelivered: (reason) => `Not delivered: ${reason}`,
  endedBy: (name) => `${name} has ended the chat. Thank you for contacting us.`,
  required: '(required)',
  fieldRequired: (label) => `Please fill in: ${label}`,
  leaveNote: 'Nobody can chat right now. Leave a message and we will answer here on your next visit.',
  leaveSubmit: 'Send message',
  leftMessage: (t) =>
    `Thank you. Your message${t === undefined ? '' : ` #${t}`} has been received; the answer will appear here on your next visit.`,
  replyFrom: (op, t) => `Reply from ${op}${t === undefined ? '' : ` to your message #${t}`}`,
  marks: { pending: 'Sending…', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Not delivered', unsent: 'Not sent' },
  retry: 'Retry',
  attach: 'Attach a file',
  signedIn: (name) => `Signed in as ${name}. How can we help?`,
  stickers: 'Stickers',
  uploading: 'Uploading…',
  uploadFailed: (r) => `The file could not be sent: ${r}`,
  sneakPeekNotice: 'The operator can see what you type before you send it.',
  rateTitle: 'How was this chat?',
  rateStar: (n) => `${n} of 5`,
  rateComment: 'Comment (optional)',
  rateSend: 'Send rating',
  rateThanks: (n) => `Thank you for your rating (${n} of 5).`,
  transcript: 'Download transcript',
  emailTranscript: 'Email me the transcript',
  transcriptMailed: 'The transcript is on its way to your email address.',
  soundOn: 'Sound alerts on',
  soundOff: 'Sound alerts off',
  flashTitle: 'New message',
  reconnecting: 'Reconnecting…',
};

const ja: Strings = {
  title: 'チャットで問い合わせ',
  launcher: { open: 'チャットで問い合わせ', busy: '混雑中', closed: '受付時間外', connecting: '接続中…' },
  deskOpen: '受付中 — すぐに対応できます',
  deskBusy: (n, m) => `ただいま混み合っています${n === undefined ? '' : ` — ${n}人待ち`}${m === undefined ? '' : `、約${m}分`}`,
  busyDetail: (n, m) => [n === undefined ? '' : `${n}人待ち`, m === undefined ? '' : `約${m}分`].filter(Boolean).join(' · '),
  deskClosed: '現在対応できるオペレーターがいません',
  deskClosedUntil: (opening) => `受付時間外 — ${opening}から受付`,
  startChat: 'チャットを開始',
  minimise: 'チャットを最小化',
  joining: '送信中…',
  waiting: (t, p, m) =>
    `受付番号 #${t} · ${p}番目にお待ちです · ` +
    (m === null ? 'オペレーターの接続をお待ちください' : m === 0 ? 'まもなくオペレーターがまいります' : `約${m}分`),
  chattingWith: (name) => `${name}が対応しています`,
  typing: (name) => `${name}が入力中…`,
  joined: (name) => `${name}がチャットに参加しました。`,
  takenOver: (name, prev) => `${prev}から${name}に交代しました。`,
  requeued: (t) => `受付番号 #${t} は列の先頭に戻りました。次に対応可能なオペレーターが引き継ぎます。`,
  ended: 'チャットは終了しました。お問い合わせありがとうございました。',
  refused: '申し訳ありません。現在この窓口は受付を停止しています。',
  connectionLost: '接続が切れたため、チャットは終了しました。',
  closedAtClosing: '本日の受付は終了しました。ご質問はお預かりしました。次回のご訪問時にオペレーターからお返事します。',
  newChat: '新しいチャットを開始',
  you: 'あなた',
  messageLabel: 'メッセージ',
  messagePlaceholder: 'メッセージを入力…',
  send: '送信',
  endChat: 'チャットを終了',
  notDelivered: (reason) => `送信できませんでした: ${reason}`,
  endedBy: (name) => `${name}がチャットを終了しました。お問い合わせありがとうございました。`,
  required: '（必須）',
  fieldRequired: (label) => `${label}を入力してください`,
  leaveNote: '現在チャットで対応できません。メッセージを残していただければ、次回のご訪問時にここで回答をお知らせします。',
  leaveSubmit: 'メッセージを送信',
  leftMessage: (t) =>
    `ありがとうございます。メッセージ${t === undefined ? '' : ` #${t}`}を受け付けました。回答は次回のご訪問時にここに表示されます。`,
  replyFrom: (op, t) => `${op}からの回答${t === undefined ? '' : `（メッセージ #${t}）`}`,
  marks: { pending: '送信中…', sent: '送信済み', delivered: '配信済み', read: '既読', failed: '未送信', unsent: '送信できませんでした' },
  retry: '再送信',
  attach: 'ファイルを添付',
  signedIn: (name) => `${name} 様としてログイン中です。ご用件をどうぞ。`,
  stickers: 'スタンプ',
  uploading: 'アップロード中…',
  uploadFailed: (r) => `ファイルを送信できませんでした: ${r}`,
  sneakPeekNotice: '送信前の入力内容がオペレーターに表示されます。',
  rateTitle: 'このチャットはいかがでしたか？',
  rateStar: (n) => `5段階中${n}`,
  rateComment: 'コメント（任意）',
  rateSend: '評価を送信',
  rateThanks: (n) => `評価ありがとうございました（5段階中${n}）。`,
  transcript: '会話記録をダウンロード',
  emailTranscript: '会話記録をメールで受け取る',
  transcriptMailed: '会話記録をメールでお送りします。',
  soundOn: '通知音オン',
  soundOff: '通知音オフ',
  flashTitle: '新着メッセージ',
  reconnecting: '再接続中…',
};

export const stringsFor = (lang: Lang): Strings => (lang === 'ja' ? ja : en);
