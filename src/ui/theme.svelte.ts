export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'shoebox-theme';

/** Light, dark or the system's; kept in localStorage (a UI preference, not library data) and applied to <html>. */
export class Theme {
  choice = $state<ThemeChoice>('system');

  constructor(private readonly root: HTMLElement = document.documentElement, private readonly store: Pick<Storage, 'getItem' | 'setItem'> = localStorage) {
    const saved = store.getItem(KEY);
    this.apply(saved === 'light' || saved === 'dark' ? saved : 'system');
  }

  /** What is shown now: the choice, or the system's when the choice is "system". */
  get effective(): 'light' | 'dark' {
    if (this.choice !== 'system') return this.choice;
    return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }

  /** The toggle: flips what is shown, and from then on keeps it whatever the system says. */
  toggle(): void {
    this.set(this.effective === 'dark' ? 'light' : 'dark');
  }

  set(choice: ThemeChoice): void {
    this.apply(choice);
    this.store.setItem(KEY, choice);
  }

  private apply(choice: ThemeChoice) {
    this.choice = choice;
    if (choice === 'system') delete this.root.dataset.theme;
    else this.root.dataset.theme = choice;
  }
}
