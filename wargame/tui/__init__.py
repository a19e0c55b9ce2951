"""The terminal UI (Textual). Imported only by the commands that show it: `wargame`, `play`, `resume`.

The app is `wargame.tui.app.WargameApp`; the game session it drives, `wargame.session.Session`,
holds no textual and is tested on its own.
"""
