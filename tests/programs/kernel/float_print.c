/* Floating point as a student's program uses it: an average, a timing in
 * seconds from clock_gettime, a table with widths and precisions, rounding
 * half to even, inf and nan, and reading numbers back with strtod, atof and
 * sscanf. The machine has no FPU: every double here is soft-float. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds(struct timespec t) { return t.tv_sec + t.tv_nsec / 1e9; }

int main(void)
{
	int marks[] = { 71, 85, 92, 64, 88, 79, 96 };
	int n = sizeof marks / sizeof marks[0], sum = 0;
	for (int i = 0; i < n; i++)
		sum += marks[i];
	double avg = (double)sum / n;
	printf("average of %d marks: %.2f (%g, %e)\n", n, avg, avg, avg);

	struct timespec start, end, fixed = { 12, 345678901 };
	clock_gettime(CLOCK_MONOTONIC, &start);
	volatile double x = 0;
	for (int i = 1; i <= 200; i++)
		x += 1.0 / i;
	clock_gettime(CLOCK_MONOTONIC, &end);
	double took = seconds(end) - seconds(start);
	printf("harmonic(200) = %.15f\n", x);
	printf("timed: %s\n", took > 0 && took < 10 ? "between 0 and 10 s" : "out of range");
	char text[64];
	snprintf(text, sizeof text, "%.9f", took);
	printf("%%.9f of the time reads back within 1 ns: %s\n", (strtod(text, NULL) - took) < 1e-9
	       && (took - strtod(text, NULL)) < 1e-9 ? "yes" : "no");
	printf("a timespec of 12 s 345678901 ns is %.6f s, %.3e s, %g ms\n", seconds(fixed), seconds(fixed),
	       seconds(fixed) * 1000);

	printf("%-8s|%10s|%12s|%s\n", "x", "x*x", "1/x", "sqrt guess");
	for (double v = 0.5; v <= 4; v *= 2) {
		double g = v;
		for (int i = 0; i < 6; i++)
			g = (g + v / g) / 2;            /* Newton's method */
		printf("%-8.2f|%10.4f|%12.6e|%.10g\n", v, v * v, 1 / v, g);
	}

	printf("0.1 + 0.2 = %.17g, == 0.3: %s\n", 0.1 + 0.2, 0.1 + 0.2 == 0.3 ? "yes" : "no");
	printf("half to even: %.0f %.0f %.0f %.0f %.1f %.2f\n", 0.5, 1.5, 2.5, -3.5, 0.25, 1.005);
	printf("exact digits: %.20f %.30e\n", 0.1, 1e-300);
	printf("big: %f %.3e %g\n", 1e22, 1.7976931348623157e308, 123456789.0);
	printf("flags: [%+.3f] [% .3f] [%08.2f] [%-8.1f] [%#.0f] [%#g] [%G]\n", 3.14159, 3.14159, -3.14159,
	       2.5, 7.0, 2.0, 1e-10);
	printf("hex: %a %a %A %.2a\n", 1.0, 0.1, -255.5, 3.14159);
	double huge = 1e300;
	double inf = huge * huge, nan = strtod("nan", NULL);
	printf("inf and nan: %f %e %g %5.1f %-6F| %f\n", inf, -inf, nan, nan, inf, -0.0);
	printf("long double: %Lf %Lg\n", 0.1L, 2.5L);

	char *rest;
	double pi = strtod("  3.14159 and more", &rest);
	printf("strtod: %.5f, then \"%s\"\n", pi, rest);
	errno = 0;
	double over = strtod("1e999", NULL);
	printf("strtod(1e999) = %g, ERANGE: %s\n", over, errno == ERANGE ? "yes" : "no");
	errno = 0;
	double under = strtod("1e-999", NULL);
	printf("strtod(1e-999) = %g, ERANGE: %s\n", under, errno == ERANGE ? "yes" : "no");
	printf("hex text: %g, atof: %g\n", strtod("0x1.8p4", NULL), atof("2.5e-3"));

	double d;
	float f;
	int items = sscanf("temperature 21.5 humidity 0.45", "temperature %lf humidity %f", &d, &f);
	printf("sscanf: %d items, %.1f and %.2f\n", items, d, f);
	return 0;
}
