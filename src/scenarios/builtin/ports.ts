// "Address already in use": a server restarted while its old connection sits in TIME_WAIT.
import { defineScenario, expectError, recvAll } from '../define.js';

export const timeWaitRebind = defineScenario({
  name: 'time-wait-rebind',
  summary: 'the server closes first, then restarts: bind() fails with EADDRINUSE until SO_REUSEADDR (on both) or TIME_WAIT ends',
  setup({ program }) {
    program('server', 'server', async (net) => {
      // The first server: no SO_REUSEADDR, as in the seeds' first example.
      const old = net.tcp();
      old.bind(['', 8898]);
      old.listen(5);
      const [conn] = await old.accept();
      await conn.recv(1024);
      await conn.sendall('hi');
      conn.close(); // the server closes first: its side goes to TIME_WAIT
      old.close();
      await net.sleep(1);
      // Restart without SO_REUSEADDR: EADDRINUSE.
      const second = net.tcp();
      await expectError(Promise.resolve().then(() => second.bind(['', 8898])));
      second.close();
      // With SO_REUSEADDR on the new socket only: Linux still refuses, because the TIME_WAIT
      // socket inherited the old listener's setting (off). BSD semantics (rfc9293 profile) allow it.
      const third = net.tcp();
      third.setsockopt('SO_REUSEADDR', 1);
      let bound = true;
      try {
        third.bind(['', 8898]);
      } catch {
        bound = false;
      }
      if (!bound) {
        third.close();
        // Wait out TIME_WAIT (60 s on Linux) and try again.
        await net.sleep(60);
        const fourth = net.tcp();
        fourth.bind(['', 8898]);
        fourth.listen(5);
        fourth.close();
      } else {
        third.listen(5);
        third.close();
      }
    });
    program('client', 'client', async (net) => {
      const s = net.tcp();
      await s.connect(['server', 8898]);
      await s.sendall('hello');
      await recvAll(s);
      s.close();
    }, 0.001);
  },
});
