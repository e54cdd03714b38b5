"""End to end: sign in, upload the example district, start a run, confirm a
proposal, read a seeker's explanation and an employer's worksheet; axe-core on
every page (no serious or critical violation)."""
import os
import tempfile
import time

from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ADMIN, PASSWORD, ROOT, SHOTS

EXAMPLES = os.path.join(ROOT, "examples", "yanshi")
ORDER = ["regions", "households", "seekers", "trainings", "employers", "openings", "employer-years", "rosters", "placements"]
checked = []


def accessible(d, name):
    """axe-core on the page as it is: no serious or critical violation."""
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    axe = Axe(d)
    axe.inject()
    results = axe.run()
    bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{name}: " + "; ".join(f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']][:3]}" for v in bad)
    checked.append(name)


def shot(d, name):
    d.save_screenshot(os.path.join(SHOTS, name + ".png"))


def upload(d, url, kind, path, partial=False):
    d.get(url + "/imports")
    Select(d.find_element(By.ID, "kind")).select_by_value(kind)
    d.find_element(By.ID, "file").send_keys(path)
    if partial:
        d.find_element(By.ID, "partial").click()
    d.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(d, 60).until(lambda d: d.find_elements(By.ID, "import-result"))
    return d.find_element(By.TAG_NAME, "main").text


def test_front_desk_end_to_end(server, browser):
    d, url = browser, server.url
    d.get(url + "/")
    assert d.current_url.endswith("/login")
    accessible(d, "login")
    shot(d, "login")
    d.find_element(By.ID, "username").send_keys(ADMIN)
    d.find_element(By.ID, "password").send_keys(PASSWORD)
    d.find_element(By.CSS_SELECTOR, "main form button").click()
    WebDriverWait(d, 60).until(lambda d: not d.current_url.endswith("/login"))
    assert d.current_url.rstrip("/") == url
    assert "求职者" in d.page_source
    accessible(d, "overview")

    # A file with a bad row is refused whole, every row error listed in Chinese.
    bad = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8")
    bad.write("code,name,parent_code,neighbours\n410307,偃师区,,\n,没有代码,410307,\n")
    bad.close()
    text = upload(d, url, "regions", bad.name)
    assert "未导入任何数据" in text and "第 3 行" in text, text
    shot(d, "imports-refused")
    accessible(d, "imports-refused")

    for kind in ORDER:
        text = upload(d, url, kind, os.path.join(EXAMPLES, kind + ".csv"))
        assert "已导入" in text, f"{kind}: {text}"
    shot(d, "imports")
    accessible(d, "imports")

    d.get(url + "/seekers")
    accessible(d, "seekers")
    assert d.find_elements(By.CSS_SELECTOR, "main table a[href^='/seekers/']")

    # Start a run (the daemon's worker runs the queued request).
    d.get(url + "/runs")
    Select(d.find_element(By.ID, "region")).select_by_value("410307")
    d.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(d, 60).until(lambda d: "queued=" in d.current_url)
    assert "已加入匹配队列" in d.find_element(By.TAG_NAME, "main").text
    run_link = None
    for _ in range(240):
        links = d.find_elements(By.CSS_SELECTOR, "main a[href^='/runs/']")
        if links:
            run_link = links[0].get_attribute("href")
            break
        time.sleep(0.5)
        d.get(url + "/runs")
    assert run_link, "the queued run did not finish in 120 s"
    accessible(d, "runs")

    d.get(run_link)
    boxes = d.find_elements(By.CSS_SELECTOR, "input[name=proposal]")
    assert boxes, "the run made no proposal"
    assert d.find_elements(By.CSS_SELECTOR, "td ul li"), "proposals show no reason"
    accessible(d, "run")
    boxes[0].click()
    d.find_element(By.XPATH, "//button[text()='确认所选推荐']").click()
    WebDriverWait(d, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "main p.notice, main p.error"))
    main = d.find_element(By.TAG_NAME, "main").text
    assert "已确认安置" in main, main
    assert "已确认" in d.find_element(By.CSS_SELECTOR, "main table tbody").text
    shot(d, "run")
    accessible(d, "run-confirmed")

    # A seeker's record explains the latest run.
    d.find_element(By.CSS_SELECTOR, "main table a[href^='/seekers/']").click()
    WebDriverWait(d, 60).until(lambda d: d.find_elements(By.ID, "explanation"))
    expl = d.find_element(By.ID, "explanation")
    assert expl.text == "最近一次匹配的说明"
    body = d.find_element(By.CSS_SELECTOR, "pre.worksheet").text
    assert "匹配运行：第" in body and "推荐岗位" in body, body
    accessible(d, "seeker")

    d.get(url + "/reviews")
    accessible(d, "reviews")
    d.find_element(By.XPATH, "//a[text()='工作底稿']").click()
    WebDriverWait(d, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "pre.worksheet"))
    sheet = d.find_element(By.CSS_SELECTOR, "pre.worksheet").text
    assert "2024" in d.title and len(sheet) > 100, sheet
    shot(d, "worksheet")
    accessible(d, "worksheet")

    for page in ("policy", "exports"):
        d.get(url + "/" + page)
        accessible(d, page)
    assert d.find_elements(By.CSS_SELECTOR, "a[href^='/exports/proposals.csv']")

    # An admin adds a dated policy row: a wrong date is refused in Chinese, then it is added.
    def add_policy(valid_from):
        d.get(url + "/policy")
        for field, value in (("key", "social_average_wage"), ("value", "88888"), ("source", "浏览器测试")):
            d.find_element(By.ID, field).clear()
            d.find_element(By.ID, field).send_keys(value)
        d.execute_script("arguments[0].type = 'text'", d.find_element(By.ID, "valid_from"))  # type a wrong date
        d.find_element(By.ID, "valid_from").send_keys(valid_from)
        Select(d.find_element(By.ID, "status")).select_by_value("secondary")
        d.find_element(By.CSS_SELECTOR, "form[action='/policy'] button[type=submit]").click()
        WebDriverWait(d, 60).until(lambda d: d.find_elements(By.ID, "policy-result"))
        return d.find_element(By.ID, "policy-result").text
    refused = add_policy("2031-02-30")
    assert "未添加任何参数" in refused and "生效日期 2031-02-30" in refused, refused
    accessible(d, "policy-refused")
    added = add_policy("2031-01-01")
    assert "已添加政策参数" in added, added
    accessible(d, "policy-added")

    # Keyboard: the skip link is the first stop and leads to the main content.
    d.get(url + "/runs")
    from selenium.webdriver.common.keys import Keys
    d.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    assert d.switch_to.active_element.get_attribute("class") == "skip"

    assert len(checked) >= 12, checked
