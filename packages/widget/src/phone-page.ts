/**
 * `/phone`: a customer's telephone in the browser, on Parley's virtual PSTN.
 * Register a number, dial a queue's number, answer an agent's call, press
 * keys, hang up. The server serves it when the virtual PSTN is on.
 */
import { Phone, type PhoneEvent } from './phone.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const base = new URL('./', location.href).href;
const status = $<HTMLParagraphElement>('status');
const log = $<HTMLOListElement>('log');
const numberInput = $<HTMLInputElement>('number');
const toInput = $<HTMLInputElement>('to');
const answer = $<HTMLButtonElement>('answer');
const reject = $<HTMLButtonElement>('reject');
const hangup = $<HTMLButtonElement>('hangup');
const keys = $<HTMLDivElement>('keys');
let current: string | null = null;
let ringing: string | null = null;

const say = (text: string) => {
  status.textContent = text;
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  log.prepend(li);
};

function show(): void {
  answer.hidden = reject.hidden = ringing === null;
  hangup.hidden = current === null;
  keys.hidden = current === null;
  document.body.dataset['call'] = current ? 'active' : ringing ? 'ringing' : 'idle';
}

const phone = new Phone(base, (e: PhoneEvent) => {
  switch (e.type) {
    case 'registered':
      say(`Your number is ${e.number}.`);
      document.body.dataset['number'] = e.number;
      break;
    case 'incoming':
      ringing = e.callId;
      say(`Incoming call from ${e.from}`);
      break;
    case 'answered':
      current = e.callId;
      if (ringing === e.callId) ringing = null;
      say('Call set up.');
      break;
    case 'progress':
      say(e.status === 'queued' ? 'Waiting for an agent…' : e.status === 'ringing' ? 'Ringing…' : 'Connected.');
      document.body.dataset['progress'] = e.status;
      break;
    case 'ended':
      if (current === e.callId) current = null;
      if (ringing === e.callId) ringing = null;
      say(`Call ended (${e.reason}).`);
      break;
    case 'error':
      say(`Error: ${e.message}`);
      break;
    case 'connection':
      if (!e.online) say('Offline.');
      break;
  }
  show();
});
phone.audio.hidden = true;
document.body.append(phone.audio);

$<HTMLFormElement>('register').addEventListener('submit', (e) => {
  e.preventDefault();
  void phone.register(numberInput.value.trim()).catch((err: Error) => say(err.message));
});
$<HTMLFormElement>('dial').addEventListener('submit', (e) => {
  e.preventDefault();
  void phone
    .dial(toInput.value.trim())
    .then((id) => {
      current = id;
      show();
    })
    .catch((err: Error) => say(err.message));
});
answer.addEventListener('click', () => {
  if (ringing) void phone.accept(ringing).catch((err: Error) => say(err.message));
});
reject.addEventListener('click', () => {
  if (ringing) phone.reject(ringing);
});
hangup.addEventListener('click', () => {
  if (current) phone.hangup(current);
});
for (const key of '123456789*0#') {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = key;
  b.addEventListener('click', () => current && phone.dtmf(current, key));
  keys.append(b);
}
const preset = new URLSearchParams(location.search).get('number');
if (preset) {
  numberInput.value = preset;
  void phone.register(preset).catch((err: Error) => say(err.message));
}
show();
