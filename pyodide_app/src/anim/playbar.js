// The animation's control bar, in the figure (only for figures with steps):
// step back, play/pause, step forward, a scrub slider over the loop's steps, the
// step counter and the speed (steps per second, 1–100).  Keys (Space , .) are
// handled with the figure's other keys in input/controls.js.  Text goes in through
// textContent only.
//
// The bar is a strip under the stage, never over the drawing (it hid the names at
// the bottom of most figures).  It takes its height from the figure's declared
// height rather than adding to it: the figure's class `mm-has-playbar` shortens the
// stage and the poster (viewer.css), so the page does not move when the bar comes.

import { button, setIcon } from "../input/buttons.js";

export class Playbar {
  /**
   * @param {object} anim the Animator (player, togglePlay, stepBack, stepForward, seek, setSpeed)
   * @param {HTMLElement} stage the figure's stage: the bar goes right after it
   */
  constructor(anim, stage) {
    this.anim = anim;
    const player = anim.player;
    const bar = document.createElement("div");
    bar.className = "mm-playbar";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Animation");
    this.back = button("Step back", "back", () => anim.stepBack());
    this.play = button("Play", "play", () => anim.togglePlay());
    this.forward = button("Step forward", "forward", () => anim.stepForward());
    this.scrub = document.createElement("input");
    this.scrub.type = "range";
    this.scrub.className = "mm-scrub";
    this.scrub.min = "0";
    this.scrub.max = String(Math.max(0, player.total - 1));
    this.scrub.step = "1";
    this.scrub.value = "0";
    this.scrub.setAttribute("aria-label", "Animation step");
    this.scrub.addEventListener("input", () => {
      anim.player.pause();
      anim.seek(Number(this.scrub.value));
    });
    this.count = document.createElement("span");
    this.count.className = "mm-step-count";
    this.speed = document.createElement("input");
    this.speed.type = "range";
    this.speed.className = "mm-speed";
    this.speed.min = "1";
    this.speed.max = "100";
    this.speed.step = "1";
    this.speed.value = String(Math.min(100, Math.max(1, Math.round(player.speed))));
    this.speed.setAttribute("aria-label", "Speed, steps per second");
    this.speed.title = "Speed, steps per second";
    this.speed.addEventListener("input", () => anim.setSpeed(Number(this.speed.value)));
    this.speedText = document.createElement("span");
    this.speedText.className = "mm-speed-text";
    this.speedText.setAttribute("aria-hidden", "true");
    bar.append(this.back, this.play, this.forward, this.scrub, this.count, this.speed, this.speedText);
    stage.after(bar);
    this.figureEl = stage.parentElement;
    this.figureEl.classList.add("mm-has-playbar");
    this.el = bar;
    this._shown = { playing: null, step: null, active: null, speed: null };
    this.update();
  }

  /** Reflect the player in the controls (touches only what changed). */
  update() {
    const anim = this.anim;
    const player = anim.player;
    const shown = this._shown;
    if (shown.playing !== player.playing) {
      shown.playing = player.playing;
      const label = player.playing ? "Pause" : "Play";
      this.play.setAttribute("aria-label", label);
      this.play.title = label;
      setIcon(this.play, player.playing ? "pause" : "play");
    }
    if (shown.step !== player.step || shown.active !== anim.active) {
      shown.step = player.step;
      shown.active = anim.active;
      this.scrub.value = String(player.step);
      // Idle (reduced motion, before any control is used): the finished figure is shown.
      this.count.textContent = anim.active ? `${player.step + 1} / ${player.total}` : `${player.total} ${player.total === 1 ? "step" : "steps"}`;
    }
    if (shown.speed !== player.speed) {
      shown.speed = player.speed;
      this.speedText.textContent = `${player.speed}/s`;
      this.speed.setAttribute("aria-valuetext", `${player.speed} steps per second`);
    }
  }

  dispose() {
    this.el.remove();
    this.figureEl.classList.remove("mm-has-playbar");
  }
}
