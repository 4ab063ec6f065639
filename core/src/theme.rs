//! A brand's look: colours for light and dark pages, font, corner radius and spacing,
//! handed to every widget as CSS custom properties, and checked for WCAG contrast.

use serde::{Deserialize, Serialize};

/// The colours of one mode. A colour left out (empty) takes that mode's default when the
/// theme is sanitized, so a brand can set only its accent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Palette {
    /// Buttons, the selected score, focus rings.
    pub accent: String,
    /// Text drawn on the accent colour.
    pub on_accent: String,
    /// Body text.
    pub text: String,
    /// Widget background.
    pub background: String,
}

impl Palette {
    /// The palette's colours by the name its JSON gives each, in the order the console
    /// lists them, so that an editor and the checks name them the same way.
    pub fn colours(&self) -> [(&'static str, &str); 4] {
        [
            ("accent", &self.accent),
            ("on_accent", &self.on_accent),
            ("text", &self.text),
            ("background", &self.background),
        ]
    }

    /// The colour [`Palette::colours`] names `name`, to edit it.
    pub fn colour_mut(&mut self, name: &str) -> Option<&mut String> {
        match name {
            "accent" => Some(&mut self.accent),
            "on_accent" => Some(&mut self.on_accent),
            "text" => Some(&mut self.text),
            "background" => Some(&mut self.background),
            _ => None,
        }
    }

    fn light() -> Palette {
        Palette {
            accent: "#1f5f4a".into(),
            on_accent: "#ffffff".into(),
            text: "#1d2521".into(),
            background: "#ffffff".into(),
        }
    }

    fn dark() -> Palette {
        Palette {
            accent: "#7cc4a4".into(),
            on_accent: "#0d1f18".into(),
            text: "#e8ece9".into(),
            background: "#18201c".into(),
        }
    }

    fn sanitized(self, fallback: Palette) -> Palette {
        Palette {
            accent: css_value_or(self.accent, fallback.accent),
            on_accent: css_value_or(self.on_accent, fallback.on_accent),
            text: css_value_or(self.text, fallback.text),
            background: css_value_or(self.background, fallback.background),
        }
    }

    fn css(&self, mode: &str) -> String {
        format!(
            "--pv-accent-{mode}:{};--pv-on-accent-{mode}:{};--pv-text-{mode}:{};--pv-background-{mode}:{};",
            self.accent, self.on_accent, self.text, self.background
        )
    }

    /// The WCAG 2.2 AA contrast problems of this palette, named for the brand.
    fn contrast_warnings(&self, mode: &str) -> Vec<String> {
        let pairs = [
            ("text", &self.text, "background", &self.background, 4.5),
            ("on_accent", &self.on_accent, "accent", &self.accent, 4.5),
            ("accent", &self.accent, "background", &self.background, 3.0),
        ];
        let mut warnings = Vec::new();
        for (front_name, front, back_name, back, required) in pairs {
            match (Rgb::parse(front), Rgb::parse(back)) {
                (Some(front_rgb), Some(back_rgb)) => {
                    let ratio = front_rgb.contrast_with(back_rgb);
                    if ratio < required {
                        warnings.push(format!(
                            "{mode} theme: {front_name} {front} on {back_name} {back} has a contrast of \
                             {:.2}:1, below the {required}:1 WCAG 2.2 AA asks for",
                            hundredths_down(ratio)
                        ));
                    }
                }
                _ => warnings.push(format!(
                    "{mode} theme: cannot check the contrast of {front_name} {front} on {back_name} \
                     {back}; write colours as #rrggbb or rgb() to have them checked"
                )),
            }
        }
        warnings
    }
}

/// A ratio rounded down to hundredths, for showing with two decimals: a contrast just
/// short of its minimum (4.499) then reads as short of it (4.49), never as the minimum
/// itself (4.50).
fn hundredths_down(ratio: f64) -> f64 {
    // The nudge keeps a ratio such as 3.05, stored as 3.0499999…, from reading 3.04.
    (ratio * 100.0 + 1e-9).floor() / 100.0
}

/// Whether widgets are light, dark, or follow the host page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorMode {
    /// Always the light palette: the safe default for pages without a dark mode.
    #[default]
    Light,
    /// Always the dark palette.
    Dark,
    /// Follow the host page's own switch, then the visitor's system preference.
    Auto,
}

impl ColorMode {
    /// Every mode, in the order the console offers them.
    pub const ALL: [ColorMode; 3] = [ColorMode::Light, ColorMode::Dark, ColorMode::Auto];

    /// The mode's name in a site's configuration JSON, which the console's choice carries.
    pub fn name(self) -> &'static str {
        match self {
            ColorMode::Light => "light",
            ColorMode::Dark => "dark",
            ColorMode::Auto => "auto",
        }
    }

    /// The mode named `name`, as [`ColorMode::name`] spells it.
    pub fn from_name(name: &str) -> Option<ColorMode> {
        ColorMode::ALL.into_iter().find(|mode| mode.name() == name)
    }

    /// Whether to draw in dark colours. In `auto`, the host page's switch wins: a `dark`
    /// or `light` class, or `data-theme` / `data-bs-theme` / `data-color-mode`, on
    /// `<html>`; without one, the visitor's `prefers-color-scheme`.
    pub fn is_dark(
        self,
        html_class: &str,
        html_theme_attribute: Option<&str>,
        prefers_dark: bool,
    ) -> bool {
        match self {
            ColorMode::Light => false,
            ColorMode::Dark => true,
            ColorMode::Auto => {
                let named = |name: &str| {
                    html_theme_attribute
                        .is_some_and(|value| value.trim().eq_ignore_ascii_case(name))
                        || html_class
                            .split_whitespace()
                            .any(|class| class.eq_ignore_ascii_case(name))
                };
                if named("dark") {
                    true
                } else if named("light") {
                    false
                } else {
                    prefers_dark
                }
            }
        }
    }
}

/// The attributes of `<html>` that a host page's dark-mode switch may set.
pub const HOST_THEME_ATTRIBUTES: [&str; 3] = ["data-theme", "data-bs-theme", "data-color-mode"];

/// The brand's look, turned into CSS custom properties inside each widget's shadow root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "ThemeJson", into = "ThemeJson")]
pub struct Theme {
    /// Light-mode colours (the top-level `accent`, `on_accent`, `text`, `background`).
    pub light: Palette,
    /// Dark-mode colours.
    pub dark: Palette,
    /// Light, dark, or following the host page.
    pub mode: ColorMode,
    /// Font stack; `inherit` uses the host page's font.
    pub font: String,
    /// Corner radius of the card and buttons.
    pub radius: String,
    /// The base unit every gap and padding is a multiple of.
    pub spacing: String,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            light: Palette::light(),
            dark: Palette::dark(),
            mode: ColorMode::Light,
            font: "inherit".into(),
            radius: "12px".into(),
            spacing: "1rem".into(),
        }
    }
}

/// A [`Theme`] as JSON writes it: the light colours at the top level, beside `dark`. Spelt
/// out rather than `#[serde(flatten)]`, whose buffering costs the widgets' Wasm 3 KB gzip.
#[derive(Serialize, Deserialize)]
#[serde(default)]
struct ThemeJson {
    accent: String,
    on_accent: String,
    text: String,
    background: String,
    dark: Palette,
    mode: ColorMode,
    font: String,
    radius: String,
    spacing: String,
}

impl Default for ThemeJson {
    /// Light colours left out are empty, as in a [`Palette`], until the theme is sanitized.
    fn default() -> Self {
        Theme {
            light: Palette::default(),
            ..Theme::default()
        }
        .into()
    }
}

impl From<Theme> for ThemeJson {
    fn from(theme: Theme) -> Self {
        let Palette {
            accent,
            on_accent,
            text,
            background,
        } = theme.light;
        ThemeJson {
            accent,
            on_accent,
            text,
            background,
            dark: theme.dark,
            mode: theme.mode,
            font: theme.font,
            radius: theme.radius,
            spacing: theme.spacing,
        }
    }
}

impl From<ThemeJson> for Theme {
    fn from(json: ThemeJson) -> Self {
        Theme {
            light: Palette {
                accent: json.accent,
                on_accent: json.on_accent,
                text: json.text,
                background: json.background,
            },
            dark: json.dark,
            mode: json.mode,
            font: json.font,
            radius: json.radius,
            spacing: json.spacing,
        }
    }
}

impl Theme {
    /// The theme with every value that could escape its CSS declaration replaced by the
    /// default, so a stored theme can never inject CSS into a widget.
    pub fn sanitized(self) -> Theme {
        let default = Theme::default();
        Theme {
            light: self.light.sanitized(default.light),
            dark: self.dark.sanitized(default.dark),
            mode: self.mode,
            font: css_value_or(self.font, default.font),
            radius: css_value_or(self.radius, default.radius),
            spacing: css_value_or(self.spacing, default.spacing),
        }
    }

    /// The theme with each value left out (empty) given its default and nothing else
    /// changed: what a site file that sets only some values means, before
    /// [`Theme::unsafe_value`] names any value that is there but unsafe.
    pub fn filled(mut self) -> Theme {
        let default = Theme::default();
        let fill = |value: &mut String, fallback: &str| {
            if value.trim().is_empty() {
                fallback.clone_into(value);
            }
        };
        for (palette, fallback) in [
            (&mut self.light, &default.light),
            (&mut self.dark, &default.dark),
        ] {
            fill(&mut palette.accent, &fallback.accent);
            fill(&mut palette.on_accent, &fallback.on_accent);
            fill(&mut palette.text, &fallback.text);
            fill(&mut palette.background, &fallback.background);
        }
        fill(&mut self.font, &default.font);
        fill(&mut self.radius, &default.radius);
        fill(&mut self.spacing, &default.spacing);
        self
    }

    /// The `:host` rule that hands the theme to the widget's stylesheet. The host page may
    /// still override any `--pv-*` property on the element itself.
    pub fn host_css(&self) -> String {
        format!(
            ":host{{{}{}--pv-font-default:{};--pv-radius-default:{};--pv-spacing-default:{}}}",
            self.light.css("light"),
            self.dark.css("dark"),
            self.font,
            self.radius,
            self.spacing
        )
    }

    /// Every colour pair of both palettes that falls short of WCAG 2.2 AA, for the
    /// console, where a brand edits both whatever the mode.
    pub fn every_contrast_warning(&self) -> Vec<String> {
        let mut warnings = self.light.contrast_warnings("light");
        warnings.extend(self.dark.contrast_warnings("dark"));
        warnings
    }

    /// Every colour pair that falls short of WCAG 2.2 AA: 4.5:1 for text, 3:1 for the
    /// accent against the background. Only the palettes the mode can show are checked.
    pub fn contrast_warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.mode != ColorMode::Dark {
            warnings.extend(self.light.contrast_warnings("light"));
        }
        if self.mode != ColorMode::Light {
            warnings.extend(self.dark.contrast_warnings("dark"));
        }
        warnings
    }
}

/// `value` if it stays inside one CSS declaration (no `;`, braces, angle brackets,
/// backslashes, comments or line breaks, and a sane length), else `fallback`.
fn css_value_or(value: String, fallback: String) -> String {
    if is_css_value(&value) {
        value
    } else {
        fallback
    }
}

/// Whether `value` stays inside one CSS declaration: the same rule that sanitizes stored
/// themes, used to refuse a theme before it is saved.
pub fn is_css_value(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 200
        && !value.contains("/*")
        && value.chars().all(|character| {
            character.is_ascii_alphanumeric() || " #%(),.-_'\"".contains(character)
        })
}

/// The colour as `#rrggbb`, the only form a browser's colour picker takes, so that the
/// console's picker shows the colour a brand typed; `None` for a value the picker cannot
/// show (a named colour, say).
pub fn picker_hex(value: &str) -> Option<String> {
    let Rgb(red, green, blue) = Rgb::parse(value)?;
    Some(format!(
        "#{:02x}{:02x}{:02x}",
        red as u8, green as u8, blue as u8
    ))
}

impl Theme {
    /// The first value (by its settings path) that would not stay inside its CSS
    /// declaration, if any.
    pub fn unsafe_value(&self) -> Option<String> {
        let palettes = [("theme", &self.light), ("theme.dark", &self.dark)];
        palettes
            .iter()
            .flat_map(|(prefix, palette)| {
                palette
                    .colours()
                    .map(|(name, value)| (format!("{prefix}.{name}"), value))
            })
            .chain([
                ("theme.font".to_owned(), self.font.as_str()),
                ("theme.radius".to_owned(), self.radius.as_str()),
                ("theme.spacing".to_owned(), self.spacing.as_str()),
            ])
            .find(|(_, value)| !is_css_value(value))
            .map(|(path, _)| path)
    }
}

/// An sRGB colour, for contrast checks.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(f64, f64, f64);

impl Rgb {
    /// `#rgb`, `#rrggbb`, `#rrggbbaa` (alpha ignored) or `rgb(r, g, b)`.
    fn parse(value: &str) -> Option<Rgb> {
        let value = value.trim();
        if let Some(hex) = value.strip_prefix('#') {
            let channel = |index: usize, width: usize| {
                let digits = hex.get(index * width..index * width + width)?;
                let parsed = u8::from_str_radix(digits, 16).ok()?;
                Some(if width == 1 { parsed * 17 } else { parsed })
            };
            let width = match hex.len() {
                3 | 4 => 1,
                6 | 8 => 2,
                _ => return None,
            };
            return Some(Rgb(
                f64::from(channel(0, width)?),
                f64::from(channel(1, width)?),
                f64::from(channel(2, width)?),
            ));
        }
        let inner = value.strip_prefix("rgb(")?.strip_suffix(')')?;
        let channels: Vec<f64> = inner
            .split([',', ' '])
            .filter(|part| !part.is_empty())
            .map(|part| part.parse::<u8>().ok().map(f64::from))
            .collect::<Option<_>>()?;
        match channels.as_slice() {
            [red, green, blue] => Some(Rgb(*red, *green, *blue)),
            _ => None,
        }
    }

    fn luminance(self) -> f64 {
        let linear = |channel: f64| {
            let srgb = channel / 255.0;
            if srgb <= 0.04045 {
                srgb / 12.92
            } else {
                ((srgb + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }

    fn contrast_with(self, other: Rgb) -> f64 {
        let (lighter, darker) = {
            let (first, second) = (self.luminance(), other.luminance());
            if first > second {
                (first, second)
            } else {
                (second, first)
            }
        };
        (lighter + 0.05) / (darker + 0.05)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_colour_is_edited_under_the_name_it_is_listed_by() {
        let mut palette = Palette::dark();
        for (name, _) in Palette::dark().colours() {
            *palette.colour_mut(name).expect("a listed colour") = format!("#{name}");
        }
        let json = serde_json::to_value(&palette).expect("a palette serializes");
        for (name, value) in palette.colours() {
            assert_eq!(value, format!("#{name}"));
            assert_eq!(json[name], value, "listed under its JSON name");
        }
        assert_eq!(palette.colour_mut("border"), None);
    }

    #[test]
    fn a_mode_is_named_as_its_json_names_it() {
        for mode in ColorMode::ALL {
            let json = serde_json::to_string(&mode).expect("a mode serializes");
            assert_eq!(json, format!("\"{}\"", mode.name()));
            assert_eq!(ColorMode::from_name(mode.name()), Some(mode));
        }
        assert_eq!(ColorMode::from_name("Dark"), None);
        assert_eq!(ColorMode::from_name(""), None);
    }

    #[test]
    fn contrast_matches_the_wcag_formula() {
        let black = Rgb::parse("#000").expect("hex");
        let white = Rgb::parse("#ffffff").expect("hex");
        assert!((black.contrast_with(white) - 21.0).abs() < 1e-9);
        let grey = Rgb::parse("rgb(118, 118, 118)").expect("rgb");
        assert!((grey.contrast_with(white) - 4.54).abs() < 0.01);
        assert_eq!(Rgb::parse("red"), None);
        assert_eq!(Rgb::parse("#12345"), None);
    }

    #[test]
    fn a_picker_gets_six_hex_digits_or_nothing() {
        assert_eq!(picker_hex("#1F5F46").as_deref(), Some("#1f5f46"));
        assert_eq!(picker_hex(" #abc ").as_deref(), Some("#aabbcc"));
        assert_eq!(picker_hex("#1f5f46cc").as_deref(), Some("#1f5f46"));
        assert_eq!(picker_hex("rgb(179, 38, 30)").as_deref(), Some("#b3261e"));
        assert_eq!(picker_hex("teal"), None);
        assert_eq!(picker_hex(""), None);
    }

    #[test]
    fn the_default_theme_passes_aa_in_both_modes() {
        let theme = Theme {
            mode: ColorMode::Auto,
            ..Theme::default()
        };
        assert_eq!(theme.contrast_warnings(), Vec::<String>::new());
    }

    #[test]
    fn poor_contrast_is_reported_per_pair_and_mode() {
        let theme = Theme {
            light: Palette {
                accent: "#ffff00".into(),
                on_accent: "#ffffff".into(),
                text: "#999999".into(),
                background: "#ffffff".into(),
            },
            ..Theme::default()
        };
        let warnings = theme.contrast_warnings();
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].starts_with(
            "light theme: text #999999 on background #ffffff has a contrast of 2.84:1"
        ));
        let unreadable = Theme {
            light: Palette {
                text: "tomato".into(),
                ..Palette::light()
            },
            ..Theme::default()
        };
        assert!(unreadable.contrast_warnings()[0].contains("cannot check"));
    }

    #[test]
    fn a_contrast_just_short_of_its_minimum_reads_short_of_it() {
        let theme = Theme {
            light: Palette {
                text: "#707972".into(),
                ..Palette::light()
            },
            ..Theme::default()
        };
        assert_eq!(
            theme.contrast_warnings(),
            [
                "light theme: text #707972 on background #ffffff has a contrast of 4.49:1, \
              below the 4.5:1 WCAG 2.2 AA asks for"
            ]
        );
        assert_eq!(format!("{:.2}", hundredths_down(3.05)), "3.05");
        assert_eq!(format!("{:.2}", hundredths_down(21.0)), "21.00");
    }

    #[test]
    fn the_console_hears_of_both_palettes_whatever_the_mode_shows() {
        let theme = Theme {
            dark: Palette {
                accent: "#303a35".into(),
                ..Palette::dark()
            },
            ..Theme::default()
        };
        assert_eq!(
            theme.contrast_warnings(),
            Vec::<String>::new(),
            "light mode hides it"
        );
        assert_eq!(
            theme.every_contrast_warning(),
            [
                "dark theme: on_accent #0d1f18 on accent #303a35 has a contrast of 1.45:1, \
                 below the 4.5:1 WCAG 2.2 AA asks for",
                "dark theme: accent #303a35 on background #18201c has a contrast of 1.41:1, \
                 below the 3:1 WCAG 2.2 AA asks for"
            ]
        );
    }

    #[test]
    fn json_keeps_the_light_colours_at_the_top_level_and_leaves_missing_ones_empty() {
        let theme: Theme = serde_json::from_str(
            r##"{"accent":"#123456","dark":{"accent":"#abcdef"},"radius":"4px"}"##,
        )
        .expect("theme");
        assert_eq!(
            theme,
            Theme {
                light: Palette {
                    accent: "#123456".into(),
                    ..Palette::default()
                },
                dark: Palette {
                    accent: "#abcdef".into(),
                    ..Palette::default()
                },
                radius: "4px".into(),
                ..Theme::default()
            }
        );
        let written = serde_json::to_value(&theme).expect("json");
        assert_eq!(written["accent"], "#123456");
        assert_eq!(written["dark"]["accent"], "#abcdef");
        assert_eq!(written.get("light"), None);
        assert_eq!(
            serde_json::from_value::<Theme>(written).expect("again"),
            theme
        );
        let empty: Theme = serde_json::from_str("{}").expect("empty");
        assert_eq!(
            empty,
            Theme {
                light: Palette::default(),
                ..Theme::default()
            }
        );
    }

    #[test]
    fn auto_mode_follows_the_host_switch_then_the_system() {
        let auto = ColorMode::Auto;
        assert!(auto.is_dark("page dark", None, false));
        assert!(auto.is_dark("", Some("dark"), false));
        assert!(!auto.is_dark("", Some("light"), true));
        assert!(!auto.is_dark("theme-light light", None, true));
        assert!(auto.is_dark("", None, true));
        assert!(!auto.is_dark("darkish", None, false));
        assert!(!ColorMode::Light.is_dark("dark", Some("dark"), true));
        assert!(ColorMode::Dark.is_dark("light", None, false));
    }

    #[test]
    fn hostile_values_fall_back_to_defaults() {
        let theme = Theme {
            light: Palette {
                accent: "red;}</style><script>".into(),
                ..Palette::light()
            },
            font: "Inter, 'Helvetica Neue', sans-serif".into(),
            spacing: "1rem}:host{display:none".into(),
            ..Theme::default()
        }
        .sanitized();
        assert_eq!(theme.light.accent, Palette::light().accent);
        assert_eq!(theme.font, "Inter, 'Helvetica Neue', sans-serif");
        assert_eq!(theme.spacing, "1rem");
        assert!(
            theme
                .host_css()
                .starts_with(":host{--pv-accent-light:#1f5f4a;")
        );
    }
}
