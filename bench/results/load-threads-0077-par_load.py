import sys, time, glob, os, resource
from concurrent.futures import ThreadPoolExecutor
import pyoxigraph as ox
proj, out, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(glob.glob(f"{proj}/data/**/*.ttl", recursive=True) + glob.glob(f"{proj}/data/**/*.nt", recursive=True) + glob.glob(f"{proj}/ontology/*.ttl"))
files.sort(key=lambda f: -os.path.getsize(f))  # biggest first
st = ox.Store(out)
def one(f):
    fmt = ox.RdfFormat.N_TRIPLES if f.endswith(".nt") else ox.RdfFormat.TURTLE
    st.bulk_load(path=f, format=fmt, to_graph=ox.NamedNode("file://" + os.path.abspath(f)), base_iri="https://w3id.org/visitgraph/id/")
c = time.process_time(); ru0 = resource.getrusage(resource.RUSAGE_SELF); t = time.monotonic()
with ThreadPoolExecutor(threads) as pool:
    list(pool.map(one, files))
st.flush()
w = time.monotonic() - t; ru = resource.getrusage(resource.RUSAGE_SELF)
t2 = time.monotonic(); n = len(st)
print(f"threads {threads}: load {w:.1f} s wall, cpu {ru.ru_utime-ru0.ru_utime+ru.ru_stime-ru0.ru_stime:.1f} s, quads {n} (len {time.monotonic()-t2:.1f} s)", flush=True)
