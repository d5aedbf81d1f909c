package admin

import (
	"net/http"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/web"
)

// SettingsPage shows every setting of the blog in groups.
type SettingsPage struct {
	Base
	Groups []SettingGroup
	Error  string
}

// SettingGroup is a fieldset of the settings form.
type SettingGroup struct {
	Legend string
	Fields []SettingField
}

// SettingField is one setting: Key is its name in gazette.Settings.Values.
type SettingField struct {
	Key, Label, Help string
	Kind             string // text, url, number, textarea, checkbox, select, password
	Value            string
	Options          []string
}

// settingGroups is the form, field by field: every key of Settings.Values
// is here, which TestSettingsFormIsComplete checks.
var settingGroups = []struct {
	legend string
	fields []SettingField
}{
	{"The blog", []SettingField{
		{Key: "title", Label: "Title", Kind: "text"},
		{Key: "description", Label: "Description", Kind: "text"},
		{Key: "base_url", Label: "Base URL", Kind: "url", Help: "Its public address, such as https://blog.example.org; feeds and pings need it."},
		{Key: "time_zone", Label: "Time zone", Kind: "text", Help: "An IANA name such as Europe/Paris or America/New_York."},
		{Key: "theme", Label: "Theme", Kind: "select"},
		{Key: "entries_per_page", Label: "Entries per page", Kind: "number"},
		{Key: "latest_comments_label", Label: "Latest comments label", Kind: "text"},
		{Key: "basename_limit", Label: "Basename length", Kind: "number", Help: "The longest basename made from a title."},
	}},
	{"Comments", []SettingField{
		{Key: "moderation", Label: "Moderation", Kind: "select", Options: []string{"all", "first-time", "none"},
			Help: "all: hold every comment; first-time: hold until a commenter has one approved; none: publish at once."},
		{Key: "comments_close_after_days", Label: "Close comments after (days)", Kind: "number", Help: "0 never closes."},
		{Key: "comment_max_links", Label: "Most links before holding", Kind: "number"},
		{Key: "comment_blocklist", Label: "Blocklist", Kind: "textarea", Help: "Words, addresses and domains, one a line."},
		{Key: "comment_honeypot", Label: "Honeypot field", Kind: "checkbox"},
		{Key: "comment_token_min_age", Label: "Least form age (ms)", Kind: "number"},
		{Key: "comment_token_max_age", Label: "Greatest form age (ms)", Kind: "number"},
		{Key: "comment_rate_per_minute", Label: "Comments a minute per address", Kind: "number", Help: "0 turns the limit off."},
		{Key: "comment_rate_burst", Label: "Burst", Kind: "number"},
		{Key: "comment_max_length", Label: "Longest comment", Kind: "number"},
		{Key: "comment_max_name_length", Label: "Longest name", Kind: "number"},
		{Key: "comment_max_email_length", Label: "Longest email", Kind: "number"},
		{Key: "comment_max_url_length", Label: "Longest URL", Kind: "number"},
		{Key: "spam_filter", Label: "Spam filter", Kind: "checkbox"},
		{Key: "spam_hold_score", Label: "Hold at score", Kind: "text"},
		{Key: "spam_score", Label: "Spam at score", Kind: "text"},
	}},
	{"Mail to authors", []SettingField{
		{Key: "smtp_host", Label: "SMTP host", Kind: "text", Help: "Leave empty to send no mail."},
		{Key: "smtp_port", Label: "SMTP port", Kind: "number", Help: "0 means 587."},
		{Key: "smtp_user", Label: "SMTP user", Kind: "text"},
		{Key: "smtp_password", Label: "SMTP password", Kind: "password", Help: "Leave empty to keep the one stored."},
		{Key: "smtp_from", Label: "From address", Kind: "text"},
	}},
}

func (a *Admin) settingsPage(q *request, values map[string]string, msg string) *SettingsPage {
	p := &SettingsPage{Base: a.base(q, "Settings", "settings"), Error: msg}
	for _, g := range settingGroups {
		sg := SettingGroup{Legend: g.legend}
		for _, f := range g.fields {
			f.Value = values[f.Key]
			if f.Kind == "password" {
				f.Value = "" // never shown on a page
			}
			if f.Key == "theme" {
				f.Options = a.cfg.Themes
			}
			sg.Fields = append(sg.Fields, f)
		}
		p.Groups = append(p.Groups, sg)
	}
	return p
}

func (a *Admin) settingsForm(w http.ResponseWriter, r *http.Request, q *request) error {
	p := a.settingsPage(q, q.settings.Values(), "")
	p.Notice = notice(r)
	return a.show(w, "settings", p)
}

func (a *Admin) settingsSave(w http.ResponseWriter, r *http.Request, q *request) error {
	values := map[string]string{}
	for _, g := range settingGroups {
		for _, f := range g.fields {
			v := strings.TrimSpace(r.PostFormValue(f.Key))
			switch f.Kind {
			case "checkbox":
				v = "false"
				if r.PostFormValue(f.Key) != "" {
					v = "true"
				}
			case "password":
				if v == "" {
					v = q.settings.SMTP.Password
				}
			case "textarea":
				v = normalizeNewlines(r.PostFormValue(f.Key))
			}
			values[f.Key] = v
		}
	}
	s, err := gazette.SettingsFromValues(values)
	if err == nil {
		err = s.Validate()
	}
	if err == nil {
		err = a.store.SaveSettings(q.ctx, s)
	}
	if err != nil {
		if web.Status(err) == http.StatusInternalServerError {
			return err
		}
		body, rerr := a.pages.render("settings", a.settingsPage(q, values, gazette.ErrorMessage(err)))
		if rerr != nil {
			return rerr
		}
		web.WriteHTML(w, web.Status(err), body)
		return nil
	}
	return seeOther(w, r, "/admin/settings?notice=saved")
}
