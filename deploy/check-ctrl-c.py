import os, signal, subprocess, time, urllib.request
# Usage: python3 deploy/check-ctrl-c.py  (from the repository root)
# Starts the service as a newcomer would, waits for /health/ready, presses Ctrl-C the way a terminal does (SIGINT to
# the foreground process group) and reports whether any PostgreSQL process is left behind.
env = dict(os.environ)
def restore(): signal.signal(signal.SIGINT, signal.SIG_DFL)
p = subprocess.Popen(["dotnet", "run", "--project", "src/WorkingConversations.Host"], cwd=os.getcwd(), env=env,
                     stdout=open("/tmp/ctrlc.log", "w"), stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=restore)
start = time.time()
while True:
    try:
        urllib.request.urlopen("http://localhost:5080/health/ready", timeout=1); break
    except Exception: time.sleep(0.5)
print(f"ready after {time.time()-start:.1f} s")
os.killpg(p.pid, signal.SIGINT)   # what a terminal does on Ctrl-C: SIGINT to the foreground process group
p.wait(timeout=60)
time.sleep(1)
print("exit code", p.returncode)
print("postgres processes left:", subprocess.run("ps aux | grep -c '[p]ostgres:'", shell=True, capture_output=True, text=True).stdout.strip())
