/**
 * Alerts for a new message while the customer looks elsewhere: a short WebAudio beep (no
 * asset to download) and a flashing document title until the page is visible again. The
 * customer toggles sound; the choice is kept in localStorage.
 */
import { readJson, writeJson, type KeyValue } from './storage.js';

export const SOUND_KEY = 'mdg:sound';

export function createAlerts(store: KeyValue, soundByDefault: boolean, flashText: string) {
  let sound = readJson<boolean>(store, SOUND_KEY, soundByDefault);
  let audio: AudioContext | undefined;
  let flashTimer: ReturnType<typeof setInterval> | undefined;
  const originalTitle = document.title;

  function beep(): void {
    try {
      audio ??= new AudioContext();
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.08, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.25);
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.25);
    } catch {
      /* no audio: the title still flashes */
    }
  }
  function stopFlash(): void {
    if (flashTimer) clearInterval(flashTimer);
    flashTimer = undefined;
    document.title = originalTitle;
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') stopFlash();
  });

  return {
    get sound() {
      return sound;
    },
    toggleSound(): boolean {
      sound = !sound;
      writeJson(store, SOUND_KEY, sound);
      return sound;
    },
    /** A new message arrived; `seen` when the panel is open and the page visible. */
    notify(seen: boolean): void {
      if (seen) return;
      if (sound) beep();
      if (document.visibilityState === 'hidden' && !flashTimer) {
        let on = false;
        flashTimer = setInterval(() => {
          on = !on;
          document.title = on ? `✉ ${flashText}` : originalTitle;
        }, 1000);
      }
    },
    stopFlash,
  };
}
