# Posts one comment to an entry page of a running gazette, as a reader's
# browser would: GET the page, wait the form's minimum age, POST the form.
import re, sys, time, urllib.parse, urllib.request
base, path = sys.argv[1], sys.argv[2]
page = urllib.request.urlopen(base + path).read().decode()
token = re.search(r'name="token" value="([^"]+)"', page).group(1)
time.sleep(3.5)
form = urllib.parse.urlencode({"name": "Bench Reader", "email": "bench@example.com", "url": "",
    "homepage": "", "body": "One comment, for the incremental build. %d" % time.time(), "post": "1", "token": token}).encode()
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None
opener = urllib.request.build_opener(NoRedirect)
req = urllib.request.Request(base + path, data=form, headers={"Origin": base})
try:
    resp = opener.open(req)
    print(resp.status, resp.headers.get("Location"))
except urllib.error.HTTPError as e:
    print(e.code, e.headers.get("Location"))
