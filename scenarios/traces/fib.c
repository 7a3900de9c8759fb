/* A small C file for a compiler trace: no #include, so cc1 spends its time compiling, not parsing headers. */
int printf(const char *format, ...);

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

struct point { int x, y; };

static int dot(const struct point *a, const struct point *b) { return a->x * b->x + a->y * b->y; }

int main(void) {
  struct point p[16];
  int sum = 0;
  for (int i = 0; i < 16; i++) {
    p[i].x = i;
    p[i].y = fib(i % 12);
  }
  for (int i = 0; i + 1 < 16; i++) sum += dot(&p[i], &p[i + 1]);
  for (int i = 0; i < 20; i++) printf("%d %d\n", i, fib(i));
  printf("%d\n", sum);
  return 0;
}
